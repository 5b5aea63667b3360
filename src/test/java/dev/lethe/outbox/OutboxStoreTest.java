package dev.lethe.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lethe.config.LetheConfig;
import dev.lethe.sql.OutboxKind;
import dev.lethe.testsupport.PostgresDatabase;
import dev.lethe.testsupport.client.Databases;
import dev.lethe.testsupport.client.Sql;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** The outbox's claims, retries and parking, against the real table. */
class OutboxStoreTest {

    private static final String DATABASE = "lethe_test_outbox_store";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Sql sql;
    private static Vertx vertx;
    private static Pool pool;
    private static OutboxStore store;

    /** Retries after 1 s, then 2 s..., parked after the third failed attempt. */
    private record Settings(Duration every, int batchSize, Duration lease, Duration retryMinBackoff,
            Duration retryMaxBackoff, int maxAttempts, int countLimit) implements LetheConfig.Outbox {
    }

    private static final Settings SETTINGS = new Settings(Duration.ofMillis(500), 1000, Duration.ofMinutes(1),
            Duration.ofSeconds(1), Duration.ofMinutes(5), 3, 1_000_000);

    @BeforeAll
    static void createSchema() {
        sql = Sql.createDatabase(DATABASE);
        sql.execute(PostgresDatabase.statements("db/lethe/V1__admin.sql"));
        sql.execute(PostgresDatabase.statements("db/lethe/V2__outbox.sql"));
        vertx = Vertx.vertx();
        pool = PgPool.pool(vertx, new PgConnectOptions().setHost(Sql.HOST).setPort(Sql.PORT).setDatabase(DATABASE)
                .setUser(Sql.USER), new PoolOptions().setMaxSize(2));
        store = new OutboxStore(Databases.on(pool, vertx));
    }

    @AfterAll
    static void dropSchema() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        Sql.dropDatabase(DATABASE);
    }

    @BeforeEach
    void emptyOutbox() {
        sql.execute("DELETE FROM lethe.outbox");
    }

    @Test
    void claimedRowsAreHiddenFromOtherClaimsUntilTheirLeaseEnds() {
        insertBlobs(3);
        List<OutboxEntry> first = store.claim(OutboxKind.BLOB, 2, Duration.ofMinutes(1)).await().atMost(WAIT);
        List<OutboxEntry> second = store.claim(OutboxKind.BLOB, 10, Duration.ofMinutes(1)).await().atMost(WAIT);
        assertThat(first).hasSize(2);
        assertThat(second).as("only the row nobody holds").hasSize(1)
                .extracting(OutboxEntry::id).doesNotContainAnyElementsOf(first.stream().map(OutboxEntry::id).toList());
        assertThat(store.claim(OutboxKind.EVENT, 10, Duration.ofMinutes(1)).await().atMost(WAIT))
                .as("another kind").isEmpty();

        sql.execute("UPDATE lethe.outbox SET not_before = now() - interval '1 second'");
        assertThat(store.claim(OutboxKind.BLOB, 10, Duration.ofMinutes(1)).await().atMost(WAIT))
                .as("a dead instance's rows, once the lease ended").hasSize(3);
    }

    @Test
    void deliveredRowsGoAndFailedOnesWaitLongerWithEachAttemptUntilParked() {
        insertBlobs(2);
        List<OutboxEntry> claimed = store.claim(OutboxKind.BLOB, 10, Duration.ofMinutes(1)).await().atMost(WAIT);
        long delivered = claimed.get(0).id();
        long failed = claimed.get(1).id();
        int parked = store.settle(new Delivery(List.of(delivered), List.of(failed), Optional.of("SlowDown: wait")),
                SETTINGS).await().atMost(WAIT);
        assertThat(parked).isZero();
        assertThat(sql.count("SELECT count(*) FROM lethe.outbox WHERE id = ?", delivered)).isZero();
        assertThat(secondsUntilRetry(failed)).as("first retry after the minimum backoff").isBetween(0.0, 1.0);
        assertThat(sql.column("SELECT last_error FROM lethe.outbox WHERE id = ?", failed))
                .containsExactly("SlowDown: wait");

        assertThat(failAgain(failed)).isZero();
        assertThat(secondsUntilRetry(failed)).as("doubled after the second attempt").isBetween(1.0, 2.0);
        assertThat(failAgain(failed)).as("parked after the third").isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM lethe.outbox WHERE id = ? AND not_before = 'infinity'", failed))
                .isEqualTo(1);
        assertThat(store.measure(OutboxKind.BLOB, 100).await().atMost(WAIT).rows()).as("still counted").isEqualTo(1);
    }

    private int failAgain(long id) {
        sql.execute("UPDATE lethe.outbox SET not_before = now() WHERE id = " + id);
        List<OutboxEntry> claimed = store.claim(OutboxKind.BLOB, 10, Duration.ofMinutes(1)).await().atMost(WAIT);
        assertThat(claimed).extracting(OutboxEntry::id).containsExactly(id);
        return store.settle(new Delivery(List.of(), List.of(id), Optional.of("SlowDown: wait")), SETTINGS)
                .await().atMost(WAIT);
    }

    private static double secondsUntilRetry(long id) {
        return ((Number) sql.column("SELECT EXTRACT(EPOCH FROM not_before - now())::float8 FROM lethe.outbox"
                + " WHERE id = ?", id).get(0)).doubleValue();
    }

    private static void insertBlobs(int count) {
        sql.execute("INSERT INTO lethe.outbox (kind, target, row_id, blob_key, source) SELECT 'blob', 'message',"
                + " g::text, 'file/' || g, 'sweep' FROM generate_series(1, " + count + ") g");
    }
}
