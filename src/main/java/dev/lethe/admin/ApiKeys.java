package dev.lethe.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lethe.sql.LetheSchema;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The API keys of the admin API, in lethe.api_keys. A key is shown once, when it is created; the table holds only its
 * SHA-256. Every statement runs on the connection of the admin action's own transaction, so that a key's last use is
 * recorded with the action it authorized, and only if that action commits.
 */
@ApplicationScoped
public class ApiKeys {

    static final String PREFIX = "lethe_";
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String AUTHENTICATE = LetheSchema.sql("""
            SELECT id, key_hash FROM {api_keys}
            WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())""");
    private static final String TOUCH = LetheSchema.sql(
            "UPDATE {api_keys} SET last_used_at = GREATEST(now(), COALESCE(last_used_at, now())) WHERE id = $1");
    private static final String CREATE = LetheSchema.sql("""
            INSERT INTO {api_keys} (id, name, key_hash, expires_at) VALUES ($1, $2, $3, $4)
            RETURNING created_at, expires_at""");
    private static final String LIST = LetheSchema.sql("""
            SELECT id, name, created_at, last_used_at, expires_at, revoked_at FROM {api_keys}
            ORDER BY created_at, id""");
    private static final String REVOKE = LetheSchema.sql(
            "UPDATE {api_keys} SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1");

    /** A key as listed: never its material. */
    public record ApiKeyView(UUID id, String name, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
            OffsetDateTime expiresAt, OffsetDateTime revokedAt) {
    }

    /** A key just created: the only time its material is shown. */
    public record CreatedKey(UUID id, String key, String name, OffsetDateTime createdAt, OffsetDateTime expiresAt) {
    }

    /**
     * The id of the valid key with this hash. Missing, expired and revoked keys look the same: absent. No row lock:
     * calls with the same key run side by side, and only their last-use updates queue up at commit.
     */
    Uni<Optional<UUID>> authenticate(SqlConnection connection, byte[] hash) {
        return connection.preparedQuery(AUTHENTICATE)
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(hash)))
                .map(rows -> {
                    for (Row row : rows) {
                        if (MessageDigest.isEqual(row.getBuffer(1).getBytes(), hash)) {
                            return Optional.of(row.getUUID(0));
                        }
                    }
                    return Optional.empty();
                });
    }

    /** Records a use: now, or the later of now and the last recorded use; never NULL, never backwards. */
    Uni<Void> touch(SqlConnection connection, UUID id) {
        return connection.preparedQuery(TOUCH).execute(Tuple.of(id)).replaceWithVoid();
    }

    Uni<CreatedKey> create(SqlConnection connection, String name, Optional<OffsetDateTime> expiresAt) {
        byte[] secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID id = UUID.randomUUID();
        return connection.preparedQuery(CREATE)
                .execute(Tuple.of(id, name, io.vertx.core.buffer.Buffer.buffer(hash(key)), expiresAt.orElse(null)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new CreatedKey(id, key, name, row.getOffsetDateTime(0), row.getOffsetDateTime(1));
                });
    }

    Uni<List<ApiKeyView>> list(SqlConnection connection) {
        return connection.query(LIST).execute()
                .map(rows -> {
                    List<ApiKeyView> keys = new ArrayList<>();
                    for (Row row : rows) {
                        keys.add(new ApiKeyView(row.getUUID(0), row.getString(1), row.getOffsetDateTime(2),
                                row.getOffsetDateTime(3), row.getOffsetDateTime(4), row.getOffsetDateTime(5)));
                    }
                    return keys;
                });
    }

    /** Revokes a key; false if there is no such key. Revoking twice keeps the first revocation time. */
    Uni<Boolean> revoke(SqlConnection connection, UUID id) {
        return connection.preparedQuery(REVOKE).execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
