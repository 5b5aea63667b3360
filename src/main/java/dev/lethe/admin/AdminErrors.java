package dev.lethe.admin;

import java.time.Duration;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;

/** How the admin API answers when it does not do what it was asked, always as JSON, never with a stack trace. */
public final class AdminErrors {

    private static final Logger LOG = Logger.getLogger(AdminErrors.class);
    private static final RateLimitedLog UNEXPECTED = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));

    /** Any authentication failure: missing, malformed, unknown, expired or revoked key; never which. */
    public static final class Unauthorized extends RuntimeException {
        Unauthorized() {
            super("unauthorized", null, false, false);
        }
    }

    /** Too many failed authentications from one client this minute. */
    public static final class Limited extends RuntimeException {
        final long retryAfterSeconds;

        Limited(long retryAfterSeconds) {
            super("too many failed attempts", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message, null, false, false);
        }
    }

    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /** The body of every error answer. */
    public record Error(String error) {
    }

    @ServerExceptionMapper
    public Response unauthorized(Unauthorized e) {
        return Response.status(401).header("WWW-Authenticate", "Bearer realm=\"lethe\"")
                .type(MediaType.APPLICATION_JSON).entity(new Error("unauthorized")).build();
    }

    @ServerExceptionMapper
    public Response limited(Limited e) {
        return Response.status(429).header("Retry-After", e.retryAfterSeconds)
                .type(MediaType.APPLICATION_JSON).entity(new Error(e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFound e) {
        return Response.status(404).type(MediaType.APPLICATION_JSON).entity(new Error(e.getMessage())).build();
    }

    /** Anything else (the database is down, say): one log line, and a 500 that says nothing of the inside. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof WebApplicationException web) {
            return web.getResponse();
        }
        UNEXPECTED.log("An admin call failed: %s", Failures.describe(e));
        return Response.status(500).type(MediaType.APPLICATION_JSON).entity(new Error("internal error")).build();
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequest e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(new Error(e.getMessage())).build();
    }
}
