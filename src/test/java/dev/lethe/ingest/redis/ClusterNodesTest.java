package dev.lethe.ingest.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.lethe.ingest.redis.ClusterNodes.Node;

/** Reading CLUSTER NODES: which nodes to subscribe to, and which to leave out. */
class ClusterNodesTest {

    /** A cluster of three masters and three replicas, as Redis 7 answers (with the hostname after the bus port). */
    private static final String SIX_NODES = """
            07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004,host-4 slave \
            e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected
            67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002,host-2 master - 0 1426238316232 2 \
            connected 5461-10922
            292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@31003,host-3 master - 0 1426238318243 3 \
            connected 10923-16383
            6ec23923021cf3ffec47632106199cb7f496ce01 127.0.0.1:30005@31005,host-5 slave \
            67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 0 1426238316232 5 connected
            824fe116063bc5fcf9f4ffd895bc17aee7731ac3 127.0.0.1:30006@31006,host-6 slave \
            292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 0 1426238317741 6 connected
            e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001,host-1 myself,master - 0 0 1 connected \
            0-5460
            """;

    @Test
    void mastersAndReplicasAreToldApartWithoutTheirBusPorts() {
        assertThat(ClusterNodes.parse(SIX_NODES)).containsExactly(
                new Node("127.0.0.1:30004", false),
                new Node("127.0.0.1:30002", true),
                new Node("127.0.0.1:30003", true),
                new Node("127.0.0.1:30005", false),
                new Node("127.0.0.1:30006", false),
                new Node("127.0.0.1:30001", true));
    }

    @Test
    void anEmptyReplyHasNoNodes() {
        assertThat(ClusterNodes.parse("")).isEmpty();
        assertThat(ClusterNodes.parse("\n\n")).isEmpty();
    }

    @Test
    void linesTooShortToReadAreSkipped() {
        assertThat(ClusterNodes.parse("""
                garbage
                07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004
                67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002 master - 0 0 2 connected 0-16383
                """)).containsExactly(new Node("127.0.0.1:30002", true));
    }

    @Test
    void failedHandshakingAndAddresslessNodesAreLeftOut() {
        assertThat(ClusterNodes.parse("""
                a 127.0.0.1:30001@31001 master,fail - 0 0 1 disconnected
                b 127.0.0.1:30002@31002 handshake - 0 0 0 connected
                c :0@0 master,noaddr - 0 0 3 disconnected
                d :30004@31004 slave - 0 0 4 connected
                e 127.0.0.1:30005@31005 master - 0 0 5 connected 0-16383
                """)).containsExactly(new Node("127.0.0.1:30005", true));
    }

    @Test
    void aNodeOnlySuspectedOfFailingIsStillSubscribedTo() {
        assertThat(ClusterNodes.parse("a 127.0.0.1:30001@31001 master,fail? - 0 0 1 connected 0-16383"))
                .containsExactly(new Node("127.0.0.1:30001", true));
    }

    @Test
    void carriageReturnsIndentationAndAnAddressWithoutBusPortAreRead() {
        assertThat(ClusterNodes.parse("  a 127.0.0.1:30001 myself,master - 0 0 1 connected 0-8191\r\n"
                + "b 10.0.0.7:30002@31002 slave a 0 0 1 connected\r\n"))
                .containsExactly(new Node("127.0.0.1:30001", true), new Node("10.0.0.7:30002", false));
    }

    @Test
    void aNodeUriKeepsTheSchemeAndCredentialsOfTheConfiguredOne() {
        assertThat(ClusterNodes.uri("rediss://lethe:s3cret@seed.example:6379", "10.0.0.5:7001"))
                .isEqualTo("rediss://lethe:s3cret@10.0.0.5:7001");
        assertThat(ClusterNodes.uri("redis://seed.example:6379", "10.0.0.5:7001")).isEqualTo("redis://10.0.0.5:7001");
    }

    @Test
    void anIpv6NodeGetsBracketsInItsUri() {
        assertThat(ClusterNodes.parse("a 2001:db8::7:30001@31001 master - 0 0 1 connected 0-16383"))
                .containsExactly(new Node("2001:db8::7:30001", true));
        assertThat(ClusterNodes.uri("redis://:pw@seed:6379", "2001:db8::7:30001"))
                .isEqualTo("redis://:pw@[2001:db8::7]:30001");
    }

    @Test
    void anIpv6LoopbackNodeIsKeptAndANodeWithoutAddressIsNot() {
        assertThat(ClusterNodes.parse("""
                a ::1:30001@31001 master - 0 0 1 connected 0-8191
                b :0@0 master,noaddr - 0 0 2 connected
                c :0@0 master - 0 0 3 connected 8192-16383"""))
                .containsExactly(new Node("::1:30001", true));
    }
}
