package dev.lethe.metrics;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops the one warning every start logs that says nothing about Lethe: Quarkus registers the reactive pool's
 * {@code postgresql.queue.size} gauge twice and Micrometer warns about it (quarkusio/quarkus#47504, open). The gauge
 * itself is exported once and correctly; any other warning passes.
 */
@LoggingFilter(name = "lethe-known-warnings")
public final class KnownWarnings implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        return message == null || !(message.startsWith("This Gauge has been already registered")
                && message.contains("name='postgresql.queue.size'"));
    }
}
