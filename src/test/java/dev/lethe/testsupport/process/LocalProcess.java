package dev.lethe.testsupport.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A server process a test starts on this machine (redis-server, pgbouncer, S3Mock, the packaged service...): a
 * spare loopback port, a folder of its own, its output in a log there, and the ways a test ends it: stopped,
 * killed as a crash would, or frozen. Every launcher is one of these, so that none writes that plumbing again.
 */
public abstract class LocalProcess implements AutoCloseable {

    protected final Path directory;
    private final String name;
    private Process process;

    /** @param name what the process is, in its folder's name and in failures */
    protected LocalProcess(String name) {
        this.name = name;
        this.directory = temporaryFolder(name);
    }

    /** The command that runs the server in the foreground. */
    protected abstract List<String> command();

    /** Whether the server answers, once started. */
    protected abstract boolean answers();

    /** How long the server may take to answer after it was started. */
    protected Duration startupTime() {
        return Duration.ofSeconds(30);
    }

    public Path directory() {
        return directory;
    }

    public Path log() {
        return directory.resolve("process.log");
    }

    /** Starts the server (again) and waits until it answers. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        spawn();
        awaitAnswer(startupTime());
    }

    /** Starts the process without waiting for it to answer, for a test that watches it start or fail. */
    protected synchronized void spawn() {
        try {
            process = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the server answers; fails with its log as soon as it exits, or once the timeout is over. */
    protected void awaitAnswer(Duration timeout) {
        // Read here, not in the condition: Awaitility runs that on a thread of its own while start() holds the lock.
        Process started;
        synchronized (this) {
            started = process;
        }
        try {
            awaitUntil(timeout, () -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException(name + " exited at startup:\n" + readLog());
                }
                return answers();
            }, name + " answering");
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " did not answer within " + timeout + ":\n" + readLog(), e);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process.pid();
    }

    /** SIGTERM, and waits for the process to end. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            waitFor(process);
            process = null;
        }
    }

    /** SIGTERM without waiting, for a test that watches the process stop. */
    public synchronized void terminate() {
        if (process != null) {
            process.destroy();
        }
    }

    /** Waits for the process to end and returns its exit code; fails with its log while it still runs. */
    public int awaitExit(Duration timeout) {
        Process watched;
        synchronized (this) {
            watched = process;
        }
        try {
            if (!watched.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " is still running:\n" + readLog());
            }
            return watched.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, as a crash: no chance to say goodbye to anyone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
            process = null;
        }
    }

    /** SIGSTOP (true) or SIGCONT (false): its sockets stay open but nothing answers. */
    public synchronized void freeze(boolean frozen) {
        run(List.of("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())));
    }

    @Override
    public void close() {
        kill();
        run(List.of("rm", "-rf", directory.toString()));
    }

    public String readLog() {
        try {
            return Files.exists(log()) ? Files.readString(log()) : "";
        } catch (IOException e) {
            return "(cannot read " + log() + ": " + e.getMessage() + ")";
        }
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A new, empty folder under the system's temporary one. */
    static Path temporaryFolder(String name) {
        try {
            return Files.createTempDirectory("lethe-" + name + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loopback port nothing listens on now. */
    public static int sparePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no spare port: " + e.getMessage(), e);
        }
    }

    /** Waits with Awaitility until the condition holds. */
    public static void awaitUntil(Duration timeout, BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }

    /** Runs a command to its end; fails with its output unless it succeeds within a minute. */
    public static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether a command of this name is on the PATH. */
    public static boolean onPath(String command) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, command))) {
                return true;
            }
        }
        return false;
    }

    /** The command as the postgres user when the tests run as root (initdb and pgbouncer refuse root). */
    public static List<String> asPostgres(List<String> command) {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        return full;
    }

    /** Lets the postgres user read and write a folder, when the tests run as root. */
    protected static void shareWithPostgres(Path folder) {
        if ("root".equals(System.getProperty("user.name"))) {
            run(List.of("chown", "-R", "postgres", folder.toString()));
        }
    }
}
