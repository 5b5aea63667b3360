package dev.lethe.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import dev.lethe.sql.IdType;
import dev.lethe.sql.Predicate;
import dev.lethe.sql.TimeZoneName;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Every setting of Lethe, under {@code lethe.*}. Defaults and ranges live here and nowhere else (the README's
 * configuration reference mirrors this interface, and a test holds the two together); the rules that relate
 * settings to each other live in {@link ConfigRules}. All of it is checked when the configuration is read, before
 * anything connects: every bad value is named, one line each.
 */
@ConfigMapping(prefix = "lethe")
@ConfigRules.Consistent
public interface LetheConfig {

    /** First segment of every key Lethe acts on: {@code <key-prefix>:<target>:<id>}. */
    @WithDefault("lethe")
    @NotBlank
    @Size(max = 64)
    @Pattern(regexp = "\\S+", message = "must not contain spaces")
    String keyPrefix();

    /**
     * Keys longer than this (in bytes) are counted as invalid without being parsed. It also bounds the memory a
     * queued id can take (see {@link MemoryBudget}): cuid, uuid and nanoid keys are well under 100 bytes.
     */
    @WithDefault("256")
    @Min(16)
    @Max(8192)
    int maxKeyLength();

    /**
     * An event for a row that is not due yet is retried at its due time when that is at most this far away;
     * rows due later are left to the sweep.
     */
    @WithDefault("60s")
    @DurationMin(millis = 0)
    @DurationMax(hours = 24)
    Duration notDueHorizon();

    Redis redis();

    Batch batch();

    Deferred deferred();

    Database database();

    Sweep sweep();

    Shutdown shutdown();

    Migrations migrations();

    Coordination coordination();

    Admin admin();

    Blobs blobs();

    Events events();

    Outbox outbox();

    Demo demo();

    /** The tables Lethe deletes from, by target name (the middle segment of the key). */
    Map<String, TargetConfig> targets();

    /**
     * The demo that {@code mvn quarkus:dev} runs (and {@code -Dquarkus.profile=demo} on the built application): it
     * creates its database and the ready-made tables on the local PostgreSQL, then writes rows and their keys, so the
     * log and the metrics show rows disappearing on time. It writes rows, so it runs only on the database it names.
     */
    interface Demo {
        /** Runs the demo: creates lethe.demo.database and its tables, writes rows, logs what became of them. */
        @WithDefault("false")
        boolean enabled();

        /** The database the demo creates and writes in; quarkus.datasource.reactive.url must name it. */
        @WithDefault("lethe_demo")
        @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}", message = "must be a lower-case name such as lethe_demo")
        String database();

        /** Rows the demo writes per second, each with its key. */
        @WithDefault("5")
        @Min(1)
        @Max(100)
        int rowsPerSecond();
    }

    interface Coordination {
        /**
         * How often each instance checks which targets it owns: with several replicas, the time in which a dead
         * instance's targets are taken over.
         */
        @WithDefault("1s")
        @DurationMin(seconds = 1)
        @DurationMax(minutes = 5)
        Duration interval();
    }

    interface Blobs {
        /**
         * The bucket holding the files whose keys lethe.targets.*.blob-key-column and lethe.targets.*.blobs.* name.
         * Required as soon as one target has files; the S3 client itself is configured with quarkus.s3.*.
         */
        Optional<@Pattern(regexp = ".*\\S.*", message = "must not be blank") @Size(max = 255) String> bucket();
    }

    interface Events {
        /** Redis Stream on which every deleted row is announced (for example lethe:deleted); none when absent. */
        Optional<@Pattern(regexp = ".*\\S.*", message = "must not be blank") @Size(max = 256) String> stream();

        /** The stream is trimmed to about this many entries (XADD MAXLEN ~). */
        @WithDefault("1000000")
        @Min(1)
        @Max(1_000_000_000)
        long maxLength();
    }

    interface Outbox {
        /** How often each instance looks for outbox rows to deliver after it found none. */
        @WithDefault("500ms")
        @DurationMin(millis = 10)
        @DurationMax(minutes = 1)
        Duration every();

        /** Rows delivered at once: the keys of one S3 DeleteObjects request (at most 1000), or stream entries. */
        @WithDefault("1000")
        @Min(1)
        @Max(1000)
        int batchSize();

        /**
         * How long rows an instance took stay hidden from the others; the rows of an instance that died while
         * delivering them come back after it. Keep it well above the S3 call's timeout.
         */
        @WithDefault("60s")
        @DurationMin(seconds = 1)
        @DurationMax(hours = 1)
        Duration lease();

        /** Wait before the first retry of a row whose delivery failed; doubles with each failure. */
        @WithDefault("1s")
        @DurationMin(millis = 1)
        @DurationMax(hours = 1)
        Duration retryMinBackoff();

        @WithDefault("5m")
        @DurationMin(millis = 1)
        @DurationMax(hours = 24)
        Duration retryMaxBackoff();

        /**
         * Deliveries of one row before it is parked: a key the store rejects every time (too long, or not a valid
         * name) stays in the outbox with its last error instead of being retried forever.
         */
        @WithDefault("25")
        @Min(1)
        @Max(1000)
        int maxAttempts();

        /** The outbox gauges count up to this many rows of each kind, so that counting stays cheap. */
        @WithDefault("1000000")
        @Min(1)
        @Max(100_000_000)
        int countLimit();
    }

    interface Migrations {
        /**
         * Create and upgrade Lethe's own schema (lethe) at startup. Where the service may not run DDL, set false and
         * apply the scripts of db/lethe/ by hand (the README says how); startup then checks the schema's version.
         */
        @WithDefault("true")
        boolean apply();
    }

    interface Admin {
        /**
         * A key from configuration (for example LETHE_ADMIN_BOOTSTRAP_KEY from a Kubernetes Secret) that may manage
         * API keys, so that the first real key can be created. At least 32 characters.
         */
        Optional<@Size(min = 32, max = 256, message = "must be 32 to 256 random characters") String> bootstrapKey();

        /**
         * Failed authentications one client may make per minute; beyond that its failing attempts get 429 until the
         * minute ends. A valid key always gets through.
         */
        @WithDefault("10")
        @Min(1)
        @Max(10_000)
        int failuresPerMinute();

        /** Failed authentications from all clients together per minute; beyond that every failing attempt gets 429. */
        @WithDefault("100")
        @Min(1)
        @Max(1_000_000)
        int totalFailuresPerMinute();

        /** How often each instance reads which targets are paused (the delete statements check it themselves). */
        @WithDefault("2s")
        @DurationMin(millis = 100)
        @DurationMax(minutes = 1)
        Duration pauseRefresh();
    }

    interface Shutdown {
        /**
         * On SIGTERM, how long queued and in-flight deletions may take to finish; what is left then goes to the
         * sweep. Keep it well inside the pod's terminationGracePeriodSeconds.
         */
        @WithDefault("10s")
        @DurationMin(millis = 0)
        @DurationMax(minutes = 10)
        Duration drainTimeout();
    }

    interface Redis {
        /**
         * The database whose {@code __keyevent@<db>__:expired} channel is subscribed; when absent, the one
         * quarkus.redis.hosts selects (0 when it names none).
         */
        Optional<@Min(0) @Max(65535) Integer> database();

        /**
         * Ensure {@code notify-keyspace-events} contains E and x, keeping the flags already set. With false Lethe
         * sends no CONFIG command at all, and checks with a test key that expired keys are announced.
         */
        @WithDefault("true")
        boolean configureNotifications();

        /** How often each node is checked to still announce expired keys (CONFIG where allowed, a test key else). */
        @WithDefault("30s")
        @DurationMin(seconds = 1)
        @DurationMax(hours = 1)
        Duration notificationsCheck();

        /** First delay before resubscribing after the subscription connection is lost; doubles up to the maximum. */
        @WithDefault("200ms")
        @DurationMin(millis = 1)
        @DurationMax(minutes = 1)
        Duration reconnectMinBackoff();

        /**
         * Longest delay between resubscription attempts: with the ping interval, how soon after Redis is back the
         * subscription is too.
         */
        @WithDefault("500ms")
        @DurationMin(millis = 1)
        @DurationMax(minutes = 5)
        Duration reconnectMaxBackoff();

        /**
         * The subscription connection is checked this often (ROLE, or PING where ROLE is refused); when nothing is
         * heard from the node for as long after a check, the connection counts as lost, so a half-open socket cannot
         * keep the service blind. It also bounds each attempt to connect and subscribe, so that after a partition
         * heals the subscription is back within one interval and a backoff.
         */
        @WithDefault("1s")
        @DurationMin(millis = 100)
        @DurationMax(minutes = 1)
        Duration pingInterval();

        /**
         * With quarkus.redis.client-type=cluster, how often the cluster's masters are read again (also at once after
         * a lost subscription), to follow failovers, new masters and resharding.
         */
        @WithDefault("5s")
        @DurationMin(millis = 100)
        @DurationMax(minutes = 10)
        Duration topologyRefresh();
    }

    interface Batch {
        /** Ids deleted by one statement. */
        @WithDefault("1000")
        @Min(1)
        @Max(100_000)
        int size();

        /** How long a partial batch waits for more ids before it is sent. */
        @WithDefault("10ms")
        @DurationMin(millis = 0)
        @DurationMax(seconds = 10)
        Duration linger();

        /**
         * Ids waiting for a delete statement, in all targets' queues together; beyond this they are dropped,
         * counted, and left to the sweep.
         */
        @WithDefault("100000")
        @Min(1)
        @Max(10_000_000)
        int queueCapacity();

        /** Statements in flight per target and source. */
        @WithDefault("2")
        @Min(1)
        @Max(64)
        int maxInFlight();

        /** Retries of a batch whose statement failed for a transient reason (connection loss, timeout). */
        @WithDefault("3")
        @Min(0)
        @Max(20)
        int retries();

        /** First retry delay; it doubles with each retry. */
        @WithDefault("200ms")
        @DurationMin(millis = 1)
        @DurationMax(minutes = 1)
        Duration retryBackoff();
    }

    interface Deferred {
        /** Rows waiting for their due time in memory; beyond this they are dropped, counted, and left to the sweep. */
        @WithDefault("100000")
        @Min(1)
        @Max(10_000_000)
        int capacity();

        /**
         * Rows deleted by id that are remembered (as 64-bit fingerprints, about 60 bytes each), so that an expired
         * event arriving after the look-ahead deleted its row costs no statement.
         */
        @WithDefault("100000")
        @Min(0)
        @Max(10_000_000)
        int remembered();
    }

    interface Database {
        /**
         * What sits between Lethe and PostgreSQL: none (a direct connection), session or transaction (the pool mode
         * of PgBouncer, Supavisor or a hosted pooler). It picks the client settings that are safe there.
         */
        @WithDefault("none")
        PoolerMode pooler();

        /**
         * Server-side limit of every statement Lethe runs (set in its transaction, so it holds through any pooler),
         * so that no batch holds its locks for long; a statement with no answer at all within this plus
         * {@link dev.lethe.config.LetheConfig.Database#deadlineMargin()} is abandoned on the client side and its
         * connection replaced.
         */
        @WithDefault("5s")
        @DurationMin(millis = 100)
        @DurationMax(minutes = 10)
        Duration statementTimeout();

        /** How much longer than the statement timeout the client waits for an answer before it gives up. */
        @WithDefault("2s")
        @DurationMin(millis = 100)
        @DurationMax(minutes = 1)
        Duration deadlineMargin();

        /**
         * How long opening one connection may take before the attempt is given up and the next one made: short, so
         * that on a link that drops packets each attempt ends soon, and the first after the link heals is answered
         * (a SYN the kernel retries 1 s later would otherwise wait behind its doubling backoff).
         */
        @WithDefault("1s")
        @DurationMin(millis = 100)
        @DurationMax(seconds = 30)
        Duration connectTimeout();

        /** How long startup waits for PostgreSQL to answer before it gives up. */
        @WithDefault("60s")
        @DurationMin(millis = 0)
        @DurationMax(hours = 1)
        Duration startupWait();
    }

    interface Sweep {
        /** How often each target is swept; ignored when {@link #cron()} is set. */
        @WithDefault("2s")
        @DurationMin(seconds = 1)
        @DurationMax(days = 1)
        Duration every();

        /** A Quarkus cron expression (seconds first), instead of {@link #every()}. */
        Optional<@WithConverter(CronExpression.Converter.class) CronExpression> cron();

        /** The most rows one sweep statement, i.e. one short transaction, deletes. */
        @WithDefault("10000")
        @Min(1)
        @Max(100_000)
        int batchSize();

        /**
         * How long one sweep statement should hold its row locks: when a statement takes longer, the next ones take
         * proportionally fewer rows (and grow back up to the batch size when they are fast), so that a table of wide
         * rows, many indexes or files keeps its transactions short without a hand-tuned batch size.
         */
        @WithDefault("50ms")
        @DurationMin(millis = 1)
        @DurationMax(seconds = 10)
        Duration statementTarget();

        /**
         * Sweep statements a run keeps in flight at once. They never take the same rows (SKIP LOCKED), so a backlog
         * can drain on several server cores; one leaves the others to the application.
         */
        @WithDefault("1")
        @Min(1)
        @Max(16)
        int parallelism();

        /**
         * After each sweep statement, pause up to this many times as long as the statement took, so that a large
         * backlog drains without taking the database from the application: the whole pause while other sessions
         * write or wait on locks or I/O, part of it while Lethe's statements run slower than usual, none while the
         * database is otherwise idle. 0 sweeps at full speed always.
         */
        @WithDefault("1.0")
        @DecimalMin("0")
        @jakarta.validation.constraints.DecimalMax("100")
        double pauseFactor();

        /** Rows deleted per second at most, per target and instance; unlimited when absent. */
        Optional<@Min(1) @Max(10_000_000) Integer> maxRowsPerSecond();

        /** Time budget of one run; a larger backlog is left to the next run. */
        @WithDefault("60s")
        @DurationMin(millis = 100)
        @DurationMax(hours = 1)
        Duration maxRunTime();

        /**
         * Rows falling due within this window are read from the expiry index at each run and deleted at their due
         * time, so deletion stays on time when Redis is late or down. Zero turns the look-ahead off.
         */
        @WithDefault("5s")
        @DurationMin(millis = 0)
        @DurationMax(hours = 1)
        Duration lookahead();

        /** Rows read by one look-ahead. */
        @WithDefault("20000")
        @Min(1)
        @Max(1_000_000)
        int lookaheadLimit();

        /** How often the backlog gauges are refreshed. */
        @WithDefault("10s")
        @DurationMin(seconds = 1)
        @DurationMax(hours = 1)
        Duration backlogEvery();

        /** The backlog count stops at this many rows, so that counting a huge backlog stays cheap. */
        @WithDefault("1000000")
        @Min(1)
        @Max(100_000_000)
        int backlogLimit();
    }

    /** Per-target overrides of the sweep settings. */
    interface TargetSweep {
        Optional<@DurationMin(seconds = 1) @DurationMax(days = 1) Duration> every();

        Optional<@WithConverter(CronExpression.Converter.class) CronExpression> cron();

        Optional<@Min(1) @Max(100_000) Integer> batchSize();

        Optional<@Min(1) @Max(10_000_000) Integer> maxRowsPerSecond();
    }

    interface TargetConfig {
        /** Table whose rows expire; may be schema-qualified. Identifiers are always quoted, so case is kept. */
        @NotBlank
        String table();

        @WithDefault("id")
        @NotBlank
        String idColumn();

        /** uuid, bigint or text; when absent it is read from the id column's type. */
        Optional<IdType> idType();

        @WithDefault("expiresAt")
        @NotBlank
        String expiresColumn();

        /**
         * Zone in which a {@code timestamp without time zone} expiry column is written. Prisma and most ORMs write
         * UTC. Ignored for {@code timestamptz} columns.
         */
        @WithDefault("UTC")
        @WithConverter(TimeZones.class)
        TimeZoneName timeZone();

        /**
         * SQL condition a row must meet to be deleted (for example NOT "legalHold"): it can only narrow what is
         * deleted, so anything that could reach outside its parentheses is refused (see {@link Predicate}).
         */
        Optional<@WithConverter(Predicates.class) Predicate> guard();

        /**
         * An extra due condition from trusted configuration, such as {@code used_at IS NOT NULL} for one-time tokens:
         * a row where it is TRUE is due whatever its expiry. The guard still applies.
         */
        Optional<@WithConverter(Predicates.class) Predicate> alsoDueWhen();

        TargetSweep sweep();

        /** A column of the row holding the object key of its file in lethe.blobs.bucket (NULL: no file). */
        Optional<@Pattern(regexp = ".*\\S.*", message = "must not be blank") String> blobKeyColumn();

        /** A child table holding the object keys of the row's files. */
        TargetFiles blobs();
    }

    /** Reads a time zone name from configuration; the reason a bad one is refused reaches the error message. */
    final class TimeZones implements org.eclipse.microprofile.config.spi.Converter<TimeZoneName> {
        @Override
        public TimeZoneName convert(String value) {
            return new TimeZoneName(value.trim());
        }
    }

    /** Reads a guard or an extra due condition; why a condition is refused reaches the error message. */
    final class Predicates implements org.eclipse.microprofile.config.spi.Converter<Predicate> {
        @Override
        public Predicate convert(String value) {
            try {
                return new Predicate(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the condition " + e.getMessage() + "; it is written into"
                        + " Lethe's statements as one parenthesised condition", e);
            }
        }
    }

    /** Files kept in a child table, one row per file. */
    interface TargetFiles {
        /** The child table; may be schema-qualified. */
        Optional<@Pattern(regexp = ".*\\S.*", message = "must not be blank") String> table();

        /** Its column holding the parent row's id. */
        Optional<@Pattern(regexp = ".*\\S.*", message = "must not be blank") String> parentColumn();

        /** Its column holding the object key. */
        Optional<@Pattern(regexp = ".*\\S.*", message = "must not be blank") String> keyColumn();
    }
}
