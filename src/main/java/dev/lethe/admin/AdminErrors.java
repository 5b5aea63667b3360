package dev.lethe.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.lethe.store.Database;
import dev.lethe.store.DatabaseFailures;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;

/**
 * How the admin API answers when it does not do what it was asked: always JSON, {@code {"error": ..., "detail": ...}},
 * never an HTML page or a stack trace, whatever went wrong (a route that does not exist, a database that does not
 * answer, a bug).
 */
public final class AdminErrors {

    private static final Logger LOG = Logger.getLogger(AdminErrors.class);
    private static final RateLimitedLog UNEXPECTED = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));

    /** A failure the API answers with its own status, error and detail. */
    abstract static class Answered extends RuntimeException {
        final int status;
        final String error;

        Answered(int status, String error, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.error = error;
        }
    }

    /** Any authentication failure: missing, malformed, unknown, expired or revoked key; never which. */
    public static final class Unauthorized extends Answered {
        Unauthorized() {
            super(401, "unauthorized", "a valid key is required: Authorization: Bearer <key>");
        }
    }

    /** A valid key without the scope the call needs. */
    public static final class Forbidden extends Answered {
        final Caller caller;

        Forbidden(Caller caller, String detail) {
            super(403, "forbidden", detail);
            this.caller = caller;
        }
    }

    /** Too many failed authentications from one client, or from everyone, this minute. */
    public static final class Limited extends Answered {
        final long retryAfterSeconds;

        Limited(long retryAfterSeconds) {
            super(429, "too_many_failures", "too many failed attempts; a valid key still gets through");
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    public static final class NotFound extends Answered {
        public NotFound(String detail) {
            super(404, "not_found", detail);
        }
    }

    public static final class BadRequest extends Answered {
        public BadRequest(String detail) {
            super(400, "bad_request", detail);
        }
    }

    /** The body of every error answer: a short code a program can test, and a sentence for the operator. */
    public record Error(String error, String detail) {
    }

    @ServerExceptionMapper
    public Response answered(Answered e) {
        Response.ResponseBuilder response = json(e.status, e.error, e.getMessage());
        if (e instanceof Unauthorized) {
            response.header("WWW-Authenticate", "Bearer realm=\"lethe\"");
        } else if (e instanceof Limited limited) {
            response.header("Retry-After", limited.retryAfterSeconds);
        }
        return response.build();
    }

    /** What the framework refuses before Lethe's code runs: an unknown route, a wrong method, an unreadable body. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String error = type == null ? "error" : type.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '_');
        return json(status, error, type == null ? "HTTP " + status : type.getReasonPhrase()).build();
    }

    /**
     * Anything else: PostgreSQL not answering in time is 503 with what happened; a failure nobody foresaw is one log
     * line and a 500 that says nothing of the inside.
     */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        Throwable cause = Failures.unwrap(e);
        if (cause instanceof Database.DeadlineExceeded || DatabaseFailures.IS_TIMEOUT.test(cause)) {
            return json(503, "timeout", "PostgreSQL did not answer in time (" + Failures.describe(cause)
                    + "); try again").build();
        }
        boolean unreachable = cause instanceof PgException pg ? DatabaseFailures.IS_UNREACHABLE.test(pg)
                : cause instanceof VertxException || cause instanceof IOException;
        if (unreachable) {
            return json(503, "unavailable", "PostgreSQL is not reachable; try again").build();
        }
        UNEXPECTED.log("An admin call failed: %s", Failures.describe(cause));
        return json(500, "internal", "the call failed inside Lethe; its log says why").build();
    }

    private static Response.ResponseBuilder json(int status, String error, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new Error(error, detail));
    }
}
