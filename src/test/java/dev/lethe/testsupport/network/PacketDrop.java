package dev.lethe.testsupport.network;

import java.util.List;

import dev.lethe.testsupport.process.LocalProcess;

/**
 * A real network partition on one loopback port: nftables drops every packet to or from it, in both directions, new
 * SYNs included, so that nothing is refused and nothing is answered, and each side's kernel retransmits into the
 * void with its growing backoff, as on a link that drops packets. (A proxy that stops passing bytes keeps both
 * sockets open and acknowledges everything: the kernels never back off, and coming back is easy.) The rules live in
 * a table of this test JVM's own, removed when the JVM ends, along with those of test JVMs that ended without doing
 * so.
 */
public final class PacketDrop {

    private static final String TABLE = "lethe_test_" + ProcessHandle.current().pid();
    private static boolean created;

    private final int port;

    private PacketDrop(int port) {
        this.port = port;
    }

    /** Whether partitions can be made here: nftables, run as root. */
    public static boolean available() {
        return LocalProcess.onPath("nft") && "root".equals(System.getProperty("user.name"));
    }

    /** The partition of one port, not yet in effect. */
    public static synchronized PacketDrop of(int port) {
        if (!created) {
            removeTablesOfEndedJvms();
            nft("add table inet " + TABLE);
            nft("add set inet " + TABLE + " ports { type inet_service ; }");
            nft("add chain inet " + TABLE + " out { type filter hook output priority 0 ; policy accept ; }");
            nft("add rule inet " + TABLE + " out tcp dport @ports drop");
            nft("add rule inet " + TABLE + " out tcp sport @ports drop");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> nft("delete table inet " + TABLE)));
            created = true;
        }
        return new PacketDrop(port);
    }

    /** From now on every packet to or from the port is lost. */
    public void drop() {
        nft("add element inet " + TABLE + " ports { " + port + " }");
    }

    /** The link heals: packets pass again. */
    public void heal() {
        nft("delete element inet " + TABLE + " ports { " + port + " }");
    }

    private static void removeTablesOfEndedJvms() {
        for (String line : LocalProcess.run(List.of("nft", "list", "tables")).split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 3 && words[2].startsWith("lethe_test_")) {
                long pid = Long.parseLong(words[2].substring("lethe_test_".length()));
                if (ProcessHandle.of(pid).isEmpty()) {
                    nft("delete table inet " + words[2]);
                }
            }
        }
    }

    private static void nft(String command) {
        LocalProcess.run(List.of("sh", "-c", "nft '" + command.replace("'", "'\\''") + "'"));
    }
}
