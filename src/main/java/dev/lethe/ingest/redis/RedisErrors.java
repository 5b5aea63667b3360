package dev.lethe.ingest.redis;

import java.util.regex.Pattern;

/**
 * Tells an error reply of the server (ERR, NOPERM, NOAUTH...: the server is there and said no) from a failure of the
 * link, without the client's internal error type: its message starts with the error's code in capitals.
 */
final class RedisErrors {

    private static final Pattern ERROR_REPLY = Pattern.compile("^[A-Z][A-Z_]+( .*)?$", Pattern.DOTALL);

    private RedisErrors() {
    }

    static boolean isErrorReply(Throwable failure) {
        String message = failure == null ? null : failure.getMessage();
        return message != null && ERROR_REPLY.matcher(message).matches() && !(failure instanceof java.io.IOException);
    }
}
