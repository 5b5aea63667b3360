package dev.lethe.admin;

import static dev.lethe.sql.LetheStatements.KEY_AUTHENTICATE;
import static dev.lethe.sql.LetheStatements.KEY_CREATE;
import static dev.lethe.sql.LetheStatements.KEY_LIST;
import static dev.lethe.sql.LetheStatements.KEY_REVOKE;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lethe.store.Database;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The API keys of the admin API, in lethe.api_keys. A key is shown once, when it is created; the table holds only its
 * SHA-256 and its scopes. Each call is one statement in a short transaction of its own.
 */
@ApplicationScoped
public class ApiKeys {

    static final String PREFIX = "lethe_";
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key as listed: never its material. */
    public record ApiKeyView(UUID id, String name, List<String> scopes, OffsetDateTime createdAt,
            OffsetDateTime lastUsedAt, OffsetDateTime expiresAt, OffsetDateTime revokedAt) {
    }

    /** A key just created: the only time its material is shown. */
    public record CreatedKey(UUID id, String key, String name, List<String> scopes, OffsetDateTime createdAt,
            OffsetDateTime expiresAt) {
    }

    private final Database database;

    public ApiKeys(Database database) {
        this.database = database;
    }

    /** The caller a valid key stands for, its use recorded (never NULL, never backwards); empty for any other key. */
    Uni<Optional<Caller>> authenticate(byte[] hash) {
        return database.execute(KEY_AUTHENTICATE, Tuple.of(Buffer.buffer(hash))).map(rows -> {
            for (Row row : rows) {
                if (MessageDigest.isEqual(row.getBuffer(3).getBytes(), hash)) {
                    return Optional.of(new Caller(Optional.of(row.getUUID(0)), row.getString(1),
                            scopes(row.getArrayOfStrings(2))));
                }
            }
            return Optional.empty();
        });
    }

    Uni<CreatedKey> create(String name, Set<Scope> scopes, Optional<OffsetDateTime> expiresAt) {
        byte[] secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID id = UUID.randomUUID();
        List<String> labels = labels(scopes);
        return database.execute(KEY_CREATE, Tuple.of(id, name, Buffer.buffer(hash(key)), expiresAt.orElse(null),
                labels.toArray(String[]::new)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new CreatedKey(id, key, name, labels, row.getOffsetDateTime(0), row.getOffsetDateTime(1));
                });
    }

    Uni<List<ApiKeyView>> list() {
        return database.execute(KEY_LIST).map(rows -> {
            List<ApiKeyView> keys = new ArrayList<>();
            for (Row row : rows) {
                keys.add(new ApiKeyView(row.getUUID(0), row.getString(1), labels(scopes(row.getArrayOfStrings(2))),
                        row.getOffsetDateTime(3), row.getOffsetDateTime(4), row.getOffsetDateTime(5),
                        row.getOffsetDateTime(6)));
            }
            return keys;
        });
    }

    /** Revokes a key and returns its name; empty if there is no such key. Revoking twice keeps the first time. */
    Uni<Optional<String>> revoke(UUID id) {
        return database.execute(KEY_REVOKE, Tuple.of(id)).map(rows -> rows.size() == 0 ? Optional.<String>empty()
                : Optional.of(rows.iterator().next().getString(0)));
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Scopes in their declared order: read, operate, keys. */
    private static List<String> labels(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::label).toList();
    }

    /** The scopes a row holds; a label this release does not know grants nothing. */
    private static Set<Scope> scopes(String[] labels) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String label : labels) {
            Scope.of(label).ifPresent(scopes::add);
        }
        return scopes;
    }
}
