package dev.lethe.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of Lethe, under {@code lethe.*}. Defaults live here and nowhere else; the README's configuration
 * reference mirrors this interface.
 */
@ConfigMapping(prefix = "lethe")
public interface LetheConfig {

    /** First segment of every key Lethe acts on: {@code <key-prefix>:<target>:<id>}. */
    @WithDefault("lethe")
    String keyPrefix();

    /** Keys longer than this (in bytes) are counted as invalid without being parsed. */
    @WithDefault("512")
    int maxKeyLength();

    /**
     * An event for a row that is not due yet is retried at its due time when that is at most this far away;
     * rows due later are left to the sweep.
     */
    @WithDefault("60s")
    Duration notDueHorizon();

    Redis redis();

    Batch batch();

    Deferred deferred();

    Database database();

    Sweep sweep();

    Shutdown shutdown();

    Migrations migrations();

    Coordination coordination();

    interface Coordination {
        /**
         * How often each instance checks which targets it owns (at least 1s): with several replicas, the time in which
         * a dead instance's targets are taken over.
         */
        @WithDefault("1s")
        Duration interval();
    }

    Admin admin();

    Blobs blobs();

    Events events();

    Outbox outbox();

    interface Blobs {
        /**
         * The bucket holding the files whose keys lethe.targets.*.blob-key-column and lethe.targets.*.blobs.* name.
         * Required as soon as one target has files; the S3 client itself is configured with quarkus.s3.*.
         */
        Optional<String> bucket();
    }

    interface Events {
        /** Redis Stream on which every deleted row is announced (for example lethe:deleted); none when absent. */
        Optional<String> stream();

        /** The stream is trimmed to about this many entries (XADD MAXLEN ~). */
        @WithDefault("1000000")
        long maxLength();
    }

    interface Outbox {
        /** How often each instance looks for outbox rows to deliver after it found none. */
        @WithDefault("500ms")
        Duration every();

        /** Rows delivered at once: the keys of one S3 DeleteObjects request (at most 1000), or stream entries. */
        @WithDefault("1000")
        int batchSize();

        /**
         * How long rows an instance took stay hidden from the others; the rows of an instance that died while
         * delivering them come back after it. Keep it well above the S3 call's timeout.
         */
        @WithDefault("60s")
        Duration lease();

        /** Wait before the first retry of a row whose delivery failed; doubles with each failure. */
        @WithDefault("1s")
        Duration retryMinBackoff();

        @WithDefault("5m")
        Duration retryMaxBackoff();

        /**
         * Deliveries of one row before it is parked: a key the store rejects every time (too long, or not a valid
         * name) stays in the outbox with its last error instead of being retried forever.
         */
        @WithDefault("25")
        int maxAttempts();

        /** The outbox gauges count up to this many rows of each kind, so that counting stays cheap. */
        @WithDefault("1000000")
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
        Optional<String> bootstrapKey();

        /** Failed authentications one client may make per minute; beyond that it gets 429 until the minute ends. */
        @WithDefault("10")
        int failuresPerMinute();

        /** How often each instance reads which targets are paused (the delete statements check it themselves). */
        @WithDefault("2s")
        Duration pauseRefresh();
    }

    interface Shutdown {
        /**
         * On SIGTERM, how long queued and in-flight deletions may take to finish; what is left then goes to the
         * sweep. Keep it well inside the pod's terminationGracePeriodSeconds.
         */
        @WithDefault("10s")
        Duration drainTimeout();
    }

    /** The tables Lethe deletes from, by target name (the middle segment of the key). */
    Map<String, TargetConfig> targets();

    interface Redis {
        /** The database whose {@code __keyevent@<db>__:expired} channel is subscribed. */
        @WithDefault("0")
        int database();

        /** Ensure {@code notify-keyspace-events} contains E and x, keeping the flags already set. */
        @WithDefault("true")
        boolean configureNotifications();

        /** First delay before resubscribing after the subscription connection is lost; doubles up to the maximum. */
        @WithDefault("200ms")
        Duration reconnectMinBackoff();

        @WithDefault("15s")
        Duration reconnectMaxBackoff();

        /**
         * The subscription connection is pinged this often; a ping unanswered for as long counts as a lost
         * connection, so a half-open socket cannot keep the service blind.
         */
        @WithDefault("5s")
        Duration pingInterval();

        /**
         * With quarkus.redis.client-type=cluster, how often the cluster's masters are read again (also at once after
         * a lost subscription), to follow failovers, new masters and resharding.
         */
        @WithDefault("5s")
        Duration topologyRefresh();
    }

    interface Batch {
        /** Ids deleted by one statement. */
        @WithDefault("1000")
        int size();

        /** How long a partial batch waits for more ids before it is sent. */
        @WithDefault("10ms")
        Duration linger();

        /** Ids waiting per target and source; beyond this they are dropped, counted, and left to the sweep. */
        @WithDefault("100000")
        int queueCapacity();

        /** Statements in flight per target and source. */
        @WithDefault("2")
        int maxInFlight();

        /** Retries of a batch whose statement failed for a transient reason (connection loss, timeout). */
        @WithDefault("3")
        int retries();

        /** First retry delay; it doubles with each retry. */
        @WithDefault("200ms")
        Duration retryBackoff();
    }

    interface Deferred {
        /** Rows waiting for their due time in memory; beyond this they are dropped, counted, and left to the sweep. */
        @WithDefault("200000")
        int capacity();

        /**
         * Rows deleted by id that are remembered (as 64-bit fingerprints, about 60 bytes each), so that an expired
         * event arriving after the look-ahead deleted its row costs no statement.
         */
        @WithDefault("100000")
        int remembered();
    }

    interface Database {
        /** Server-side limit for every statement Lethe runs, so that no batch holds its locks for long. */
        @WithDefault("5s")
        Duration statementTimeout();

        /** How long startup waits for PostgreSQL to answer before it gives up. */
        @WithDefault("60s")
        Duration startupWait();
    }

    interface Sweep {
        /** How often each target is swept; ignored when {@link #cron()} is set. */
        @WithDefault("2s")
        Duration every();

        /** A Quarkus cron expression (seconds first), instead of {@link #every()}. */
        Optional<String> cron();

        /** The most rows one sweep statement, i.e. one short transaction, deletes. */
        @WithDefault("10000")
        int batchSize();

        /**
         * How long one sweep statement should hold its row locks: when a statement takes longer, the next ones take
         * proportionally fewer rows (and grow back up to the batch size when they are fast), so that a table of wide
         * rows, many indexes or files keeps its transactions short without a hand-tuned batch size.
         */
        @WithDefault("50ms")
        Duration statementTarget();

        /**
         * Sweep statements a run keeps in flight at once. They never take the same rows (SKIP LOCKED), so a backlog
         * can drain on several server cores; one leaves the others to the application.
         */
        @WithDefault("1")
        int parallelism();

        /**
         * After each sweep statement, pause this many times as long as the statement took, so that a large backlog
         * drains without taking the database from the application; the pause grows by itself when the database is
         * busy. 0 sweeps at full speed.
         */
        @WithDefault("1.0")
        double pauseFactor();

        /** Rows deleted per second at most, per target and instance; unlimited when absent. */
        Optional<Integer> maxRowsPerSecond();

        /** Time budget of one run; a larger backlog is left to the next run. */
        @WithDefault("60s")
        Duration maxRunTime();

        /**
         * Rows falling due within this window are read from the expiry index at each run and deleted at their due
         * time, so deletion stays on time when Redis is late or down. Zero turns the look-ahead off.
         */
        @WithDefault("5s")
        Duration lookahead();

        /** Rows read by one look-ahead. */
        @WithDefault("50000")
        int lookaheadLimit();

        /** How often the backlog gauges are refreshed. */
        @WithDefault("10s")
        Duration backlogEvery();

        /** The backlog count stops at this many rows, so that counting a huge backlog stays cheap. */
        @WithDefault("1000000")
        int backlogLimit();
    }

    /** Per-target overrides of the sweep settings. */
    interface TargetSweep {
        Optional<Duration> every();

        Optional<String> cron();

        Optional<Integer> batchSize();

        Optional<Integer> maxRowsPerSecond();
    }

    interface TargetConfig {
        /** Table whose rows expire; may be schema-qualified. Identifiers are always quoted, so case is kept. */
        Optional<String> table();

        @WithDefault("id")
        String idColumn();

        /** uuid, bigint or text; when absent it is read from the id column's type. */
        Optional<String> idType();

        @WithDefault("expiresAt")
        String expiresColumn();

        /**
         * Zone in which a {@code timestamp without time zone} expiry column is written. Prisma and most ORMs write
         * UTC. Ignored for {@code timestamptz} columns.
         */
        @WithDefault("UTC")
        String timeZone();

        /** SQL predicate from trusted configuration; a row may be deleted only where it is TRUE. */
        Optional<String> guard();

        /**
         * An extra due condition from trusted configuration, such as {@code used_at IS NOT NULL} for one-time tokens:
         * a row where it is TRUE is due whatever its expiry. The guard still applies.
         */
        Optional<String> alsoDueWhen();

        TargetSweep sweep();

        /** A column of the row holding the object key of its file in lethe.blobs.bucket (NULL: no file). */
        Optional<String> blobKeyColumn();

        /** A child table holding the object keys of the row's files. */
        TargetFiles blobs();
    }

    /** Files kept in a child table, one row per file. */
    interface TargetFiles {
        /** The child table; may be schema-qualified. */
        Optional<String> table();

        /** Its column holding the parent row's id. */
        Optional<String> parentColumn();

        /** Its column holding the object key. */
        Optional<String> keyColumn();
    }
}
