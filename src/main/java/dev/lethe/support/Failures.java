package dev.lethe.support;

import java.util.concurrent.CompletionException;

import io.vertx.pgclient.PgException;

/** Failures as one line fit for a log, never a stack trace. */
public final class Failures {

    private Failures() {
    }

    /** A database's SQLSTATE and message, or any other failure's class and message. */
    public static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof PgException pg) {
            return pg.getSqlState() + " " + pg.getErrorMessage();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The failure a CompletionException (as a blocking await throws for checked exceptions) carries. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
