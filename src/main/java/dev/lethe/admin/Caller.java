package dev.lethe.admin;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as the audit log names them: an API key (its id and name), or the bootstrap key from configuration;
 * and what it may do.
 */
public record Caller(Optional<UUID> keyId, String name, Set<Scope> scopes) {

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    /** The bootstrap key may only manage keys, so that it can be retired once real ones exist. */
    static Caller bootstrap() {
        return new Caller(Optional.empty(), "bootstrap", Set.of(Scope.KEYS));
    }

    /** How a pause records who set it, and the audit log names the caller. */
    public String label() {
        return keyId.map(id -> "key " + id + " (" + name + ")").orElse("the bootstrap key");
    }

    public boolean may(Scope scope) {
        return scopes.contains(scope);
    }
}
