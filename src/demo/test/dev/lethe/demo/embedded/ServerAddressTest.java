package dev.lethe.demo.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class ServerAddressTest {

    private static final Set<String> POSTGRES = Set.of("postgresql", "postgres");
    private static final Set<String> REDIS = Set.of("redis");

    @Test
    void readsHostAndPortAndTheSchemesDefaultPort() {
        assertThat(ServerAddress.of("postgresql://127.0.0.1:5432/lethe_demo", POSTGRES, 5432)).get()
                .hasToString("127.0.0.1:5432");
        assertThat(ServerAddress.of("redis://localhost", REDIS, 6379)).get().hasToString("localhost:6379");
    }

    @Test
    void movesToALoopbackPortKeepingTheDatabaseAndDroppingCredentialsAndOptions() {
        ServerAddress postgres = ServerAddress.of("postgresql://alice:secret@db.example:5432/lethe_demo?sslmode=require",
                POSTGRES, 5432).orElseThrow();
        assertThat(postgres.onLoopbackPort(41000)).isEqualTo("postgresql://127.0.0.1:41000/lethe_demo");
        ServerAddress redis = ServerAddress.of("redis://:secret@cache.example:6380/2", REDIS, 6379).orElseThrow();
        assertThat(redis.onLoopbackPort(41001)).isEqualTo("redis://127.0.0.1:41001/2");
    }

    @Test
    void leavesAloneWhatItCannotReplaceByOneServer() {
        assertThat(ServerAddress.of("redis://a:6379,redis://b:6379", REDIS, 6379)).isEmpty();
        assertThat(ServerAddress.of("rediss://cache.example:6380", REDIS, 6379)).isEmpty();
        assertThat(ServerAddress.of("unix:///var/run/redis.sock", REDIS, 6379)).isEmpty();
        assertThat(ServerAddress.of(null, POSTGRES, 5432)).isEmpty();
    }

    @Test
    void answersOnlyWhereSomethingListens() throws Exception {
        try (java.net.ServerSocket listening = new java.net.ServerSocket(0)) {
            assertThat(ServerAddress.of("redis://127.0.0.1:" + listening.getLocalPort(), REDIS, 6379).orElseThrow()
                    .answers()).isTrue();
        }
        int closed;
        try (java.net.ServerSocket spare = new java.net.ServerSocket(0)) {
            closed = spare.getLocalPort();
        }
        assertThat(ServerAddress.of("redis://127.0.0.1:" + closed, REDIS, 6379).orElseThrow().answers()).isFalse();
    }
}
