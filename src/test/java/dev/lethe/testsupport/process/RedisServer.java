package dev.lethe.testsupport.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A redis-server process of the test's own, on a spare loopback port, so that tests can stop, kill and restart it
 * without touching the Redis other tests use.
 */
public final class RedisServer extends LocalProcess {

    private final int port = sparePort();
    private final List<String> extraArgs;

    private RedisServer(List<String> extraArgs) {
        super("redis");
        this.extraArgs = extraArgs;
    }

    public static RedisServer launch(String... extraArgs) {
        RedisServer server = new RedisServer(List.of(extraArgs));
        server.start();
        return server;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    protected List<String> command() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString(),
                "--daemonize", "no"));
        command.addAll(extraArgs);
        return command;
    }

    @Override
    protected boolean answers() {
        return "+PONG".equals(sendInline("PING"));
    }

    /**
     * Sends one inline command and returns the first line of the reply as Redis wrote it ("+OK", "-ERR ...", "*2"),
     * or "-" and the error when nothing answers. A bare socket, so that no client library sends commands of its own.
     */
    public String sendInline(String inline) {
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
}
