package dev.lethe.admin;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.lethe.support.RateLimitedLog;
import io.vertx.core.MultiMap;

/**
 * The query parameters of one admin call, read strictly: a parameter the call does not know, one given twice, and a
 * boolean that is neither {@code true} nor {@code false} are refused with 400, never guessed. On a call that deletes,
 * {@code dryRun=1} read as "not a dry run" deleted rows.
 */
final class QueryParameters {

    private final MultiMap parameters;

    private QueryParameters(MultiMap parameters) {
        this.parameters = parameters;
    }

    /** The parameters, after checking that each is one the call knows, given once. */
    static QueryParameters of(MultiMap parameters, String... known) {
        Set<String> unknown = new TreeSet<>(parameters.names());
        unknown.removeAll(List.of(known));
        if (!unknown.isEmpty()) {
            throw new AdminErrors.BadRequest("unknown query parameter(s) " + shorten(String.join(", ", unknown))
                    + (known.length == 0 ? ": this call takes none" : ": this call takes " + String.join(", ", known)));
        }
        for (String name : known) {
            if (parameters.getAll(name).size() > 1) {
                throw new AdminErrors.BadRequest(name + " is given more than once: give it once");
            }
        }
        return new QueryParameters(parameters);
    }

    /** {@code true} or {@code false}, exactly; false when absent. */
    boolean bool(String name) {
        String value = parameters.get(name);
        if (value == null) {
            return false;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new AdminErrors.BadRequest(name + " must be true or false, not '" + shorten(value) + "'");
        };
    }

    /** A value that, when given, must not be empty: an empty one means nothing and is refused. */
    Optional<String> text(String name, String absentMeans) {
        String value = parameters.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            throw new AdminErrors.BadRequest(name + " is empty: name one, or leave it out for " + absentMeans);
        }
        return Optional.of(value);
    }

    /**
     * Untrusted text as an answer or the audit log may repeat it: short, with control and non-ASCII characters
     * escaped, so that no client can write a line of its own into the log.
     */
    static String shorten(String text) {
        return RateLimitedLog.printable(text, 64);
    }
}
