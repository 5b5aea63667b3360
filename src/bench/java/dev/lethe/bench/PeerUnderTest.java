package dev.lethe.bench;

import java.util.ArrayList;
import java.util.List;

import dev.lethe.testsupport.process.LocalProcess;

/**
 * {@link NaivePeer} started as a process of its own, with Lethe's JVM options but a heap of 1 GiB: with Lethe's
 * 128 MiB it runs out of memory in the burst, its pool's wait queue holding a pending DELETE for every event.
 */
final class PeerUnderTest extends LocalProcess implements Subject {

    private final List<String> jvm;
    private final String redisUri;

    private PeerUnderTest(List<String> jvm, String redisUri) {
        super("naive-peer");
        this.jvm = jvm;
        this.redisUri = redisUri;
    }

    static PeerUnderTest start(BenchOptions options, String redisUri) {
        List<String> jvm = new ArrayList<>(options.letheJvm().stream().filter(o -> !o.startsWith("-Xmx")).toList());
        jvm.add("-Xmx1g");
        PeerUnderTest peer = new PeerUnderTest(jvm, redisUri);
        peer.start();
        return peer;
    }

    @Override
    protected List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NaivePeer.class.getName(),
                BenchDatabase.NAME, redisUri, BenchDatabase.TABLE, "lethe:message:"));
        return command;
    }

    /** The peer prints "ready" once it is subscribed. */
    @Override
    protected boolean answers() {
        return readLog().contains("ready");
    }
}
