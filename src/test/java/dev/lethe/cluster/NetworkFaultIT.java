package dev.lethe.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ExpiringRows;
import dev.lethe.testsupport.fixture.Fleet;
import dev.lethe.testsupport.fixture.ScenarioTime;
import dev.lethe.testsupport.fixture.Measurements;
import dev.lethe.testsupport.network.FaultProxy;
import dev.lethe.testsupport.network.PacketDrop;
import dev.lethe.testsupport.process.RedisServer;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * Two instances of the packaged service, A and B, each reaching PostgreSQL and Redis through a proxy of its own,
 * under 200 expiries a second, and two kinds of partition: the proxy stops passing bytes while it keeps both sockets
 * open ("pause"), or nftables drops every packet of the link in both directions ("drop", as a real partition does:
 * the kernels retransmit into the void with a growing backoff, new connections included). Correctness never bends:
 * nothing deleted early or twice, never two owners of a target, nothing left behind once the link is back. The
 * service says so while it cannot keep its promise (readiness answers within a second, DOWN on the instance cut
 * off, while the other takes its targets over), and once the link heals it is ready and on time within 2 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkFaultIT {

    private static final String DATABASE = "lethe_it_network";
    private static final String PREFIX = "it-network";
    private static final String[] TARGETS = {"message", "refresh", "lethe-api-keys"};
    /** Two coordination intervals (the lease) and a tick, with a second of slack for a busy machine. */
    private static final long TAKEOVER_BOUND_MILLIS = 4_000;
    /** How soon after a partition heals the service is ready and deleting on time. */
    private static final long HEALED_BOUND_MILLIS = 2_000;

    private static Sql sql;
    private static RedisServer redis;
    private static final List<FaultProxy> postgresLinks = new java.util.ArrayList<>();
    private static final List<FaultProxy> redisLinks = new java.util.ArrayList<>();
    private static Fleet fleet;
    private static ExpiringRows rows;
    private ScheduledExecutorService load;

    @BeforeAll
    static void startEverything() {
        sql = Sql.createDatabase(DATABASE);
        sql.execute(ExpiringRows.SCHEMA);
        redis = RedisServer.launch();
        for (int i = 0; i < 2; i++) {
            postgresLinks.add(FaultProxy.to(Sql.HOST, Sql.PORT));
            redisLinks.add(FaultProxy.to("127.0.0.1", redis.port()));
        }
        fleet = new Fleet(NetworkFaultIT::config);
        fleet.start();
        fleet.start();
        fleet.awaitOneOwnerEach(Duration.ofSeconds(30), TARGETS);
        rows = new ExpiringRows(sql, redis.uri(), PREFIX);
    }

    @AfterAll
    static void stopEverything() {
        if (fleet != null) {
            fleet.close();
        }
        postgresLinks.forEach(FaultProxy::close);
        redisLinks.forEach(FaultProxy::close);
        if (redis != null) {
            redis.close();
        }
        Sql.dropDatabase(DATABASE);
    }

    private static Map<String, String> config(int instance) {
        Map<String, String> config = new HashMap<>(ExpiringRows.TARGETS);
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + postgresLinks.get(instance).port()
                + "/" + DATABASE);
        config.put("quarkus.redis.hosts", "redis://127.0.0.1:" + redisLinks.get(instance).port());
        config.put("lethe.key-prefix", PREFIX);
        return config;
    }

    /** 200 expiries a second, falling due one to two seconds after they are written, for as long as a test runs. */
    @BeforeEach
    void startLoad() {
        load = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger tick = new AtomicInteger();
        load.scheduleAtFixedRate(() -> {
            try {
                if (tick.getAndIncrement() % 2 == 0) {
                    rows.messages(20, Duration.ofSeconds(1), Duration.ofSeconds(1));
                } else {
                    rows.refreshTokens(20, Duration.ofSeconds(1), Duration.ofSeconds(1));
                }
            } catch (RuntimeException e) {
                // the test's own writes go straight to PostgreSQL; a slow moment only skips a tick
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stopLoadAndCheck() throws InterruptedException {
        load.shutdownNow();
        load.awaitTermination(5, TimeUnit.SECONDS);
        // Every row the load wrote falls due within two seconds of its writing: nothing left at all means nothing
        // left behind.
        Fleet.awaitMillis(() -> rows.left() == 0, Duration.ofSeconds(60), System.nanoTime());
        assertThat(rows.deletedEarly()).as("rows deleted before their expiry").isZero();
        assertThat(rows.deletedTwice()).as("rows deleted twice").isZero();
    }

    /** A way to cut a link and heal it. */
    private interface Cut {
        void apply();

        void heal();
    }

    /** The proxy holds both sockets open and passes nothing. */
    private static Cut held(FaultProxy link) {
        return new Cut() {
            @Override
            public void apply() {
                link.blackhole();
            }

            @Override
            public void heal() {
                link.forward();
            }
        };
    }

    /** nftables drops every packet of the link, both ways, new connections included. */
    private static Cut dropped(FaultProxy link) {
        Assumptions.assumeTrue(PacketDrop.available(), "partitions need nftables, as root");
        PacketDrop partition = PacketDrop.of(link.port());
        return new Cut() {
            @Override
            public void apply() {
                partition.drop();
            }

            @Override
            public void heal() {
                partition.heal();
            }
        };
    }

    @Test
    @Order(1)
    void anInstanceWhosePostgresLinkIsHeldFor30sGoesUnreadyAndTheOtherTakesItsTargetsOver() {
        oneInstanceCutOffFromPostgres("postgres-partition-30s", "A's PostgreSQL link held (nothing passes) for 30 s",
                NetworkFaultIT::held);
    }

    @Test
    @Order(2)
    void postgresHeldForAMinuteForEveryoneThenBackDeletesTheBacklogAndIsOnTimeAtOnce() {
        // A minute builds a backlog of about 12,000 rows at this load; three, as measured for docs/scale-out.md,
        // only made CI two minutes longer.
        everyoneCutOffFromPostgres("postgres-partition-60s", "PostgreSQL held for both instances for 60 s",
                Duration.ofSeconds(60), postgresLinks.stream().map(NetworkFaultIT::held).toList());
    }

    @Test
    @Order(3)
    void redisHeldFor30sKeepsDeletionOnTimeAndResubscribesWithinSeconds() {
        everyoneCutOffFromRedis("redis-partition-30s", "Redis held for both instances for 30 s",
                redisLinks.stream().map(NetworkFaultIT::held).toList());
    }

    @Test
    @Order(4)
    void anInstanceWhosePostgresLinkDropsPacketsFor30sIsReadyWithin2sOfTheHeal() {
        oneInstanceCutOffFromPostgres("postgres-drop-30s", "A's PostgreSQL link dropping every packet for 30 s",
                NetworkFaultIT::dropped);
    }

    @Test
    @Order(5)
    void postgresDroppingEveryPacketFor30sForEveryoneIsOnTimeWithin2sOfTheHeal() {
        everyoneCutOffFromPostgres("postgres-drop-all-30s", "PostgreSQL dropping every packet for both instances"
                + " for 30 s", Duration.ofSeconds(30), postgresLinks.stream().map(NetworkFaultIT::dropped).toList());
    }

    @Test
    @Order(6)
    void redisDroppingEveryPacketFor30sIsSubscribedAgainWithin2sOfTheHeal() {
        everyoneCutOffFromRedis("redis-drop-30s", "Redis dropping every packet for both instances for 30 s",
                redisLinks.stream().map(NetworkFaultIT::dropped).toList());
    }

    /**
     * The owner of the targets, A, cut off from PostgreSQL for 30 s: it goes unready, B takes its targets over and
     * deletes on time, never two owners of a target, and A is ready within 2 s of the heal.
     */
    private void oneInstanceCutOffFromPostgres(String measure, String fault,
            java.util.function.Function<FaultProxy, Cut> how) {
        ServiceProcess a = fleet.ownerOf("message").orElseThrow();
        ServiceProcess b = fleet.live().stream().filter(i -> i != a).findFirst().orElseThrow();
        Cut cut = how.apply(postgresLinks.get(instanceNumber(a)));
        ScenarioTime.pass(Duration.ofSeconds(3));

        long cutAt = System.nanoTime();
        cut.apply();
        int[] mostOwners = new int[1];
        long unready = Fleet.awaitMillis(() -> {
            mostOwners[0] = Math.max(mostOwners[0], mostOwners());
            return readiness(a) == 503;
        }, Duration.ofSeconds(15), cutAt);
        long takeover = Fleet.awaitMillis(() -> {
            mostOwners[0] = Math.max(mostOwners[0], mostOwners());
            return List.of(TARGETS).stream().allMatch(target -> Fleet.owns(b, target));
        }, Duration.ofSeconds(15), cutAt);
        Instant duringCut = Instant.now().plusSeconds(2);
        while (System.nanoTime() - cutAt < Duration.ofSeconds(30).toNanos()) {
            mostOwners[0] = Math.max(mostOwners[0], mostOwners());
            assertThat(readiness(a)).as("readiness answers within a second, DOWN while cut off").isEqualTo(503);
            ScenarioTime.pass(Duration.ofMillis(200));
        }
        long lagWhileCut = rows.lagMillis(0.99, duringCut);

        long healed = System.nanoTime();
        cut.heal();
        long ready = Fleet.awaitMillis(() -> {
            mostOwners[0] = Math.max(mostOwners[0], mostOwners());
            return readiness(a) == 200;
        }, Duration.ofSeconds(30), healed);
        fleet.awaitOneOwnerEach(Duration.ofSeconds(15), TARGETS);

        Measurements.record(measure, String.format("%s under 200 expiries/s: A unready after %d ms, B owned all"
                + " targets after %d ms, lag p99 %d ms while A was cut off; at most %d owner(s) of a target at any"
                + " moment; A ready again %d ms after the link healed", fault, unready, takeover, lagWhileCut,
                mostOwners[0], ready));
        assertThat(unready).as("A unready within a few seconds").isLessThan(5_000);
        assertThat(takeover).as("B takes A's targets within the bound").isLessThan(TAKEOVER_BOUND_MILLIS);
        assertThat(mostOwners[0]).as("never two owners of one target").isLessThanOrEqualTo(1);
        assertThat(lagWhileCut).as("B deletes on time while A is cut off").isLessThan(1_000);
        assertThat(ready).as("A ready within 2 s of the heal").isLessThan(HEALED_BOUND_MILLIS);
    }

    /**
     * Both instances cut off from PostgreSQL: unready within seconds, answering their probes throughout; once the link
     * heals, ready and deleting within 2 s, the backlog gone, and on time from 2 s after the heal.
     */
    private void everyoneCutOffFromPostgres(String measure, String fault, Duration length, List<Cut> cuts) {
        ScenarioTime.pass(Duration.ofSeconds(3));
        long cutAt = System.nanoTime();
        cuts.forEach(Cut::apply);
        long unready = Fleet.awaitMillis(() -> fleet.live().stream().allMatch(i -> readiness(i) == 503),
                Duration.ofSeconds(15), cutAt);
        while (System.nanoTime() - cutAt < length.toNanos()) {
            assertThat(fleet.live()).allSatisfy(instance -> assertThat(readiness(instance))
                    .as("readiness answers within a second, DOWN").isEqualTo(503));
            ScenarioTime.pass(Duration.ofSeconds(1));
        }
        long backlog = rows.dueLeft();

        long healed = System.nanoTime();
        Instant healedAt = Instant.now();
        Instant onTimeFrom = healedAt.plusMillis(HEALED_BOUND_MILLIS);
        cuts.forEach(Cut::heal);
        long ready = Fleet.awaitMillis(fleet::allReady, Duration.ofSeconds(60), healed);
        Fleet.awaitMillis(() -> rows.firstDeletionMillis(healedAt) >= 0, Duration.ofSeconds(60), healed);
        long firstDeletion = rows.firstDeletionMillis(healedAt);
        long drained = Fleet.awaitMillis(() -> rows.dueLeft() == 0, Duration.ofSeconds(60), healed);
        // Rows due from 2 s after the heal must fall due and go before their lag says anything.
        ScenarioTime.pass(Duration.ofSeconds(6));
        long lagAfter = rows.lagMillis(0.99, onTimeFrom);
        long lateAfter = rows.deletedLaterThan(Duration.ofSeconds(1), onTimeFrom);

        Measurements.record(measure, String.format("%s under 200 expiries/s: both unready after %d ms; after the link"
                + " healed, the first deletion after %d ms, both ready after %d ms, the backlog of %,d rows gone after"
                + " %d ms, and rows due from 2 s after the heal deleted with lag p99 %d ms (%d later than 1 s)", fault,
                unready, firstDeletion, ready, backlog, drained, lagAfter, lateAfter));
        assertThat(firstDeletion).as("deleting again within 2 s of the heal").isLessThan(HEALED_BOUND_MILLIS);
        assertThat(ready).as("ready within 2 s of the heal").isLessThan(HEALED_BOUND_MILLIS);
        assertThat(lagAfter).as("on time from 2 s after the heal").isLessThan(1_000);
    }

    /**
     * Both instances cut off from Redis for 30 s: the lost subscription is seen within two ping intervals, the
     * look-ahead keeps deletion on time meanwhile, and the subscription is back within 2 s of the heal.
     */
    private void everyoneCutOffFromRedis(String measure, String fault, List<Cut> cuts) {
        ScenarioTime.pass(Duration.ofSeconds(3));
        long cutAt = System.nanoTime();
        cuts.forEach(Cut::apply);
        long unready = Fleet.awaitMillis(() -> fleet.live().stream().allMatch(i -> readiness(i) == 503),
                Duration.ofSeconds(15), cutAt);
        Instant duringCut = Instant.now().plusSeconds(2);
        ScenarioTime.pass(Duration.ofSeconds(30).minusMillis((System.nanoTime() - cutAt) / 1_000_000));
        long lagWhileCut = rows.lagMillis(0.99, duringCut);

        long healed = System.nanoTime();
        cuts.forEach(Cut::heal);
        long ready = Fleet.awaitMillis(fleet::allReady, Duration.ofSeconds(30), healed);

        Measurements.record(measure, String.format("%s under 200 expiries/s: both unready after %d ms (ping interval"
                + " 1 s); lag p99 %d ms meanwhile, by the look-ahead; subscribed and ready again %d ms after the link"
                + " healed", fault, unready, lagWhileCut, ready));
        assertThat(unready).as("the lost subscription is seen within two ping intervals").isLessThan(4_000);
        assertThat(lagWhileCut).as("on time without Redis").isLessThan(1_000);
        assertThat(ready).as("subscribed again within 2 s of the heal").isLessThan(HEALED_BOUND_MILLIS);
    }

    private static int mostOwners() {
        int most = 0;
        for (String target : TARGETS) {
            most = Math.max(most, fleet.ownersOf(target).size());
        }
        return most;
    }

    /** The readiness status, or -1 when the probe gets no answer within a second, as Kubernetes' would. */
    private static int readiness(ServiceProcess instance) {
        return instance.status("/q/health/ready", Duration.ofSeconds(1));
    }

    private static int instanceNumber(ServiceProcess instance) {
        String url = instance.output();
        for (int i = 0; i < postgresLinks.size(); i++) {
            if (url.contains("127.0.0.1:" + postgresLinks.get(i).port() + "/" + DATABASE)) {
                return i;
            }
        }
        throw new IllegalStateException("which link does this instance use?");
    }
}
