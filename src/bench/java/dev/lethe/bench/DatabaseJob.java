package dev.lethe.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a team would pick instead of either: a job on the database's side that deletes everything due, waits a
 * second and goes again (a shell loop around psql, or pg_cron if it scheduled by the second; Debian's pg_cron 1.4
 * schedules by the minute at best, which would add up to a minute to every lag below). Its process is the server
 * backend that runs the DELETE, so its CPU is PostgreSQL's; each run is one transaction, timed here.
 */
final class DatabaseJob implements Subject {

    private final Connection connection;
    private final long backendPid;
    private final Thread loop;
    private final AtomicLong longestNanos = new AtomicLong();
    private volatile boolean running = true;

    private DatabaseJob(BenchDatabase db) throws SQLException {
        connection = db.connect();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement();
                ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
            pid.next();
            backendPid = pid.getLong(1);
            statement.execute("SET statement_timeout = 0");
        }
        loop = new Thread(this::loop, "database-job");
    }

    static DatabaseJob start(BenchDatabase db) throws SQLException {
        DatabaseJob job = new DatabaseJob(db);
        job.loop.start();
        return job;
    }

    private void loop() {
        try (Statement statement = connection.createStatement()) {
            while (running) {
                long start = System.nanoTime();
                statement.executeUpdate("/* job */ DELETE FROM " + BenchDatabase.TABLE + " WHERE "
                        + BenchDatabase.DELETABLE);
                longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                Thread.sleep(1000);
            }
        } catch (SQLException | InterruptedException stopped) {
            // closed by close()
        }
    }

    /** The longest run, in seconds: its one transaction, holding the locks of every row it deletes. */
    double longestTransactionSeconds() {
        return longestNanos.get() / 1e9;
    }

    @Override
    public long pid() {
        return backendPid;
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(10_000);
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
