package dev.lethe.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server process of the test's own, on a spare loopback port, so that tests can stop, kill and restart it
 * without touching the Redis other tests use.
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private final List<String> extraArgs;
    private final Path directory;
    private Process process;

    private RedisServer(int port, List<String> extraArgs) throws IOException {
        this.port = port;
        this.extraArgs = extraArgs;
        this.directory = Files.createTempDirectory("lethe-redis-" + port);
    }

    public static RedisServer launch(String... extraArgs) {
        try {
            RedisServer server = new RedisServer(sparePort(), List.of(extraArgs));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString(),
                "--daemonize", "no"));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
        }
        awaitAnswer(Duration.ofSeconds(10));
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Freezes (true) or thaws (false) the process: its sockets stay open but nothing answers. */
    public synchronized void freeze(boolean frozen) {
        signal(frozen ? "STOP" : "CONT");
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the server as a crash would: no chance to say goodbye to clients. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        kill();
    }

    /** Sends one inline command and returns the first line of the reply. */
    public String command(String inline) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        } catch (IOException e) {
            return "-" + e.getMessage();
        }
    }

    private void awaitAnswer(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if ("+PONG".equals(command("PING"))) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer within " + timeout);
    }

    /** A loopback port nothing listens on now. */
    static int sparePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no spare port: " + e.getMessage(), e);
        }
    }
}
