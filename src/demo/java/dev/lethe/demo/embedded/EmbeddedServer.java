package dev.lethe.demo.embedded;

import java.io.IOException;

/** A server the demo started for itself on a loopback port, stopped by {@link #close()}. */
interface EmbeddedServer extends AutoCloseable {

    /** What it is, as the demo's line names it. */
    String name();

    int port();

    @Override
    void close() throws IOException;
}
