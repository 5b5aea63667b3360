package dev.lethe.demo.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Where a server is expected, read from the URL that configures it (postgresql://host:port/db, redis://host:port);
 * it answers when a TCP connect succeeds in time.
 *
 * @param url the URL it was read from
 * @param host the host
 * @param port the port, the scheme's default when the URL names none
 */
record ServerAddress(URI url, String host, int port) {

    /** How long a connect may take before the address counts as answering nothing. */
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    private static final String LOOPBACK = "127.0.0.1";

    ServerAddress {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** The address of a single URL of these schemes; empty for anything else (a list, a socket, another scheme). */
    static Optional<ServerAddress> of(String url, Set<String> schemes, int defaultPort) {
        if (url == null || url.contains(",")) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.trim());
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(new ServerAddress(uri, uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) PROBE_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The same URL on a loopback port of this machine: the database or Redis database number stays, credentials and
     * options go, since an embedded server has no password and no TLS.
     */
    String onLoopbackPort(int localPort) {
        try {
            return new URI(url.getScheme(), null, LOOPBACK, localPort, url.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
