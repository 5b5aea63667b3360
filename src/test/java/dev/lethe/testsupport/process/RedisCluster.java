package dev.lethe.testsupport.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of the test's own: redis-server processes with cluster-enabled on spare loopback ports, joined
 * with redis-cli --cluster create, each master with one replica so that a killed master fails over.
 */
public final class RedisCluster implements AutoCloseable {

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    public static RedisCluster launch(int masters) {
        List<RedisServer> nodes = new ArrayList<>();
        for (int i = 0; i < masters * 2; i++) {
            // The bus port is given explicitly: the default (port + 10000) does not exist for a spare port above
            // 55535, and may be taken. A replica fails over even before its first sync is complete (validity
            // factor 0), and syncs at once instead of after the diskless delay, so a failover never depends on
            // how busy the machine was while the cluster formed.
            nodes.add(RedisServer.launch("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-port", Integer.toString(LocalProcess.sparePort()),
                    "--cluster-node-timeout", "1000", "--cluster-require-full-coverage", "no",
                    "--cluster-replica-validity-factor", "0", "--repl-diskless-sync-delay", "0"));
        }
        RedisCluster cluster = new RedisCluster(nodes);
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        try {
            String output = LocalProcess.run(command);
            if (!output.contains("[OK] All 16384 slots covered")) {
                throw new IllegalStateException(output);
            }
            cluster.awaitHealthy(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("cannot create the Redis Cluster: " + e.getMessage(), e);
        }
        return cluster;
    }

    /** quarkus.redis.hosts for the whole cluster. */
    public String hosts() {
        return nodes.stream().map(RedisServer::uri).collect(Collectors.joining(","));
    }

    /** The nodes that are masters now, as host:port. */
    public List<String> masters() {
        return nodeLines().stream().filter(line -> line.split(" ")[2].contains("master")
                && !line.split(" ")[2].contains("fail")).map(RedisCluster::address).sorted().toList();
    }

    public RedisServer node(String address) {
        return nodes.stream().filter(node -> address.endsWith(":" + node.port())).findFirst().orElseThrow();
    }

    /** Waits until every live node sees every slot served, and every live replica is in sync with its master. */
    public void awaitHealthy(Duration timeout) {
        LocalProcess.awaitUntil(timeout, this::healthy, "the Redis Cluster healthy");
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private boolean healthy() {
        for (RedisServer node : nodes) {
            if (node.isRunning() && !(cli(node, "cluster", "info").contains("cluster_state:ok")
                    && inSync(cli(node, "info", "replication")))) {
                return false;
            }
        }
        List<String> masters = masters();
        return masters.size() == nodes.size() / 2 && masters.stream().allMatch(m -> node(m).isRunning());
    }

    private List<String> nodeLines() {
        Optional<RedisServer> live = nodes.stream().filter(RedisServer::isRunning).findFirst();
        if (live.isEmpty()) {
            return List.of();
        }
        String reply = cli(live.get(), "cluster", "nodes");
        return reply.lines().filter(line -> line.split(" ").length > 2).toList();
    }

    private static boolean inSync(String replication) {
        return !replication.contains("role:slave") || replication.contains("master_link_status:up");
    }

    /** The reply of redis-cli, or nothing from a node that went away meanwhile: the caller looks again. */
    private static String cli(RedisServer node, String... command) {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(node.port())));
        line.addAll(List.of(command));
        try {
            return LocalProcess.run(line);
        } catch (IllegalStateException failed) {
            return "";
        }
    }

    private static String address(String line) {
        String address = line.split(" ")[1];
        return address.substring(0, address.indexOf('@'));
    }
}
