package dev.lethe.demo.embedded;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.embedded.core.ExecutableProvider;

/**
 * A Redis of the demo's own: the redis-server that com.github.codemonstur:embedded-redis carries for this platform
 * (6.2 on Linux and macOS), written into its folder and run on a spare loopback port, keeping nothing on disk.
 *
 * <p>The library's own RedisServer stops the process from a JVM shutdown hook of its own, beside Lethe's shutdown,
 * which still talks to Redis; the demo starts the binary itself so that it stops only after Lethe has stopped.
 */
final class EmbeddedRedisServer implements EmbeddedServer {

    private static final Duration STARTUP = Duration.ofSeconds(10);
    private static final Duration STOP = Duration.ofSeconds(10);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Process process;
    private final int port;

    private EmbeddedRedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts redis-server in {@code folder}, its log redis.log there, and waits until it takes connections. */
    static EmbeddedRedisServer start(Path folder) throws IOException {
        Files.createDirectories(folder);
        File executable = ExecutableProvider.newJarResourceProvider(folder.toFile()).get();
        int port = sparePort();
        List<String> command = new ArrayList<>();
        // Ctrl-C signals the terminal's whole process group. pg_ctl starts PostgreSQL in a session of its own, and
        // setsid (Linux) does the same for Redis, so that each stops when the demo stops it, after Lethe.
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(List.of(executable.getPath(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", folder.toString(),
                "--logfile", folder.resolve("redis.log").toString()));
        Process process = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("redis.log").toFile()))
                .start();
        EmbeddedRedisServer redis = new EmbeddedRedisServer(process, port);
        redis.awaitConnections();
        return redis;
    }

    private void awaitConnections() throws IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited at startup with status " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not take connections within " + STARTUP.toSeconds() + " s");
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while redis-server started", e);
        }
    }

    private static int sparePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String name() {
        return "Redis";
    }

    @Override
    public int port() {
        return port;
    }

    /** SIGTERM (Redis saves nothing, as started), and SIGKILL if it has not ended in time. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while redis-server stopped", e);
        }
    }
}
