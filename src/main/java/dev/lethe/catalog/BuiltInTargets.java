package dev.lethe.catalog;

import java.util.Map;

import dev.lethe.config.ConfigRules;
import dev.lethe.sql.IdType;
import dev.lethe.sql.LetheSchema;

/**
 * Targets Lethe brings itself: its own expired API keys are deleted like any other expired row. Their deletions are
 * Lethe's business, not the chat backend's, so they are not announced on the deletion stream, and they follow the
 * global sweep settings.
 */
public final class BuiltInTargets {

    public static final String API_KEYS = ConfigRules.RESERVED_TARGET_PREFIX + "api-keys";

    private BuiltInTargets() {
    }

    public static boolean isBuiltIn(String name) {
        return all().containsKey(name);
    }

    public static Map<String, TargetDefinition> all() {
        return Map.of(API_KEYS, TargetDefinition.of(LetheSchema.API_KEYS, "id", "expires_at").withIdType(IdType.UUID));
    }
}
