package dev.lethe.testsupport.process;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.lethe.testsupport.client.RedisClient;

/**
 * A Redis watched by Sentinel, as the test's own: a master, a replica, and three Sentinels (redis-server --sentinel)
 * that fail the master over one second after it stops answering.
 */
public final class RedisSentinels implements AutoCloseable {

    public static final String MASTER = "lethe-master";

    private final List<RedisServer> servers = new ArrayList<>();
    private final List<Sentinel> sentinels = new ArrayList<>();

    /** One Sentinel process. */
    private static final class Sentinel extends LocalProcess {
        private final int port = sparePort();
        private final int masterPort;

        Sentinel(int masterPort) {
            super("sentinel");
            this.masterPort = masterPort;
            try {
                // Sentinel rewrites its configuration file as it learns the topology: it must be writable.
                Files.writeString(directory.resolve("sentinel.conf"), """
                        port %d
                        bind 127.0.0.1
                        dir %s
                        sentinel monitor %s 127.0.0.1 %d 2
                        sentinel down-after-milliseconds %s 1000
                        sentinel failover-timeout %s 3000
                        sentinel parallel-syncs %s 1
                        """.formatted(port, directory, MASTER, masterPort, MASTER, MASTER, MASTER));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected List<String> command() {
            return List.of("redis-server", directory.resolve("sentinel.conf").toString(), "--sentinel");
        }

        @Override
        protected boolean answers() {
            try (RedisClient client = new RedisClient("redis://127.0.0.1:" + port)) {
                return client.command("PING").equals("PONG");
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    private RedisSentinels() {
    }

    public static RedisSentinels launch() {
        RedisSentinels group = new RedisSentinels();
        RedisServer master = RedisServer.launch("--repl-diskless-sync-delay", "0");
        group.servers.add(master);
        group.servers.add(RedisServer.launch("--replicaof", "127.0.0.1", Integer.toString(master.port()),
                "--repl-diskless-sync-delay", "0"));
        for (int i = 0; i < 3; i++) {
            Sentinel sentinel = new Sentinel(master.port());
            group.sentinels.add(sentinel);
            sentinel.start();
        }
        LocalProcess.awaitUntil(Duration.ofSeconds(30), () -> group.replicaInSync() && group.sentinelsAgree(),
                "the replica in sync and every Sentinel knowing it");
        return group;
    }

    /** quarkus.redis.hosts: the Sentinels. */
    public String hosts() {
        return sentinels.stream().map(s -> "redis://127.0.0.1:" + s.port).collect(Collectors.joining(","));
    }

    /** The port of the master as the Sentinels see it now. */
    public int masterPort() {
        try (RedisClient client = new RedisClient("redis://127.0.0.1:" + sentinels.get(0).port)) {
            String[] address = client.command("SENTINEL", "get-master-addr-by-name", MASTER).trim().split("\n");
            return Integer.parseInt(address[1].trim());
        }
    }

    public RedisServer master() {
        int port = masterPort();
        return servers.stream().filter(server -> server.port() == port).findFirst().orElseThrow();
    }

    /** Starts again the servers a test killed; Sentinel makes them replicas of the master, and they catch up. */
    public void restartStopped() {
        for (RedisServer server : servers) {
            if (!server.isRunning()) {
                server.start();
                LocalProcess.awaitUntil(Duration.ofSeconds(30), () -> {
                    try (RedisClient client = new RedisClient(server.uri())) {
                        return client.command("INFO", "replication").contains("master_link_status:up");
                    } catch (RuntimeException e) {
                        return false;
                    }
                }, "the restarted server in sync as a replica");
            }
        }
    }

    /** A planned failover, as an operator starts one: the old master stays up, as a replica. */
    public void failOver() {
        // Sentinel refuses (NOGOODSLAVE) until it has seen a replica answer for a while.
        try (RedisClient client = new RedisClient("redis://127.0.0.1:" + sentinels.get(0).port)) {
            LocalProcess.awaitUntil(Duration.ofSeconds(30), () -> {
                try {
                    client.command("SENTINEL", "FAILOVER", MASTER);
                    return true;
                } catch (IllegalStateException refused) {
                    if (!String.valueOf(refused.getMessage()).contains("NOGOODSLAVE")) {
                        throw refused;
                    }
                    return false;
                }
            }, "Sentinel accepting the failover");
        }
    }

    /** Waits until the Sentinels name a master other than {@code port}, and it takes writes. */
    public void awaitMasterOtherThan(int port, Duration timeout) {
        LocalProcess.awaitUntil(timeout, () -> {
            try {
                int now = masterPort();
                if (now == port) {
                    return false;
                }
                try (RedisClient client = new RedisClient("redis://127.0.0.1:" + now)) {
                    return client.command("ROLE").startsWith("master");
                }
            } catch (RuntimeException e) {
                return false;
            }
        }, "a new master");
    }

    private boolean replicaInSync() {
        try (RedisClient client = new RedisClient(servers.get(1).uri())) {
            return client.command("INFO", "replication").contains("master_link_status:up");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean sentinelsAgree() {
        for (Sentinel sentinel : sentinels) {
            try (RedisClient client = new RedisClient("redis://127.0.0.1:" + sentinel.port)) {
                if (!client.command("SENTINEL", "replicas", MASTER).contains(Integer.toString(servers.get(1).port()))
                        || !client.command("SENTINEL", "sentinels", MASTER).contains("127.0.0.1")) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        sentinels.forEach(Sentinel::close);
        servers.forEach(RedisServer::close);
    }
}
