package dev.lethe.ingest.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the reply of {@code CLUSTER NODES}: which nodes are masters (each publishes the expired events of its own
 * keys only) and which are replicas (they publish none, but need the notification flags for when they are promoted).
 */
final class ClusterNodes {

    /** @param address host:port as the cluster announces it */
    record Node(String address, boolean master) {
    }

    private ClusterNodes() {
    }

    /**
     * Lines read: {@code <id> <ip:port@cport[,hostname]> <flags> <master> ...}. Nodes that failed, are still
     * handshaking, or have no address are left out: there is nothing to subscribe to on them.
     */
    static List<Node> parse(String reply) {
        List<Node> nodes = new ArrayList<>();
        for (String line : reply.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 3) {
                continue;
            }
            String flags = "," + fields[2] + ",";
            if (flags.contains(",fail,") || flags.contains(",handshake,") || flags.contains(",noaddr,")) {
                continue;
            }
            String address = fields[1];
            int bus = address.indexOf('@');
            if (bus >= 0) {
                address = address.substring(0, bus);
            }
            // A node that has no address yet shows as ":0"; an IPv6 one, such as "::1:6379", starts with a colon too.
            int port = address.lastIndexOf(':');
            if (port <= 0) {
                continue;
            }
            nodes.add(new Node(address, flags.contains(",master,")));
        }
        return nodes;
    }

    /** The URI of a node, with the scheme and credentials of the configured one. */
    static String uri(String configured, String address) {
        java.net.URI base = java.net.URI.create(configured);
        String userInfo = base.getRawUserInfo();
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return base.getScheme() + "://" + (userInfo == null ? "" : userInfo + "@") + host + address.substring(colon);
    }
}
