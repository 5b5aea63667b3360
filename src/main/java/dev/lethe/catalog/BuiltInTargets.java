package dev.lethe.catalog;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.lethe.config.LetheConfig;
import dev.lethe.sql.LetheSchema;

/**
 * Targets Lethe brings itself: its own expired API keys are deleted like any other expired row. Their deletions are
 * Lethe's business, not the chat backend's, so they are not announced on the deletion stream.
 */
public final class BuiltInTargets {

    public static final String API_KEYS = "lethe-api-keys";

    private BuiltInTargets() {
    }

    public static boolean isBuiltIn(String name) {
        return all().containsKey(name);
    }

    public static Map<String, LetheConfig.TargetConfig> all() {
        return Map.of(API_KEYS, new Definition(LetheSchema.API_KEYS, "id", "expires_at"));
    }

    private record Definition(String tableName, String idColumn, String expiresColumn)
            implements LetheConfig.TargetConfig {

        @Override
        public Optional<String> table() {
            return Optional.of(tableName);
        }

        @Override
        public Optional<String> idType() {
            return Optional.of("uuid");
        }

        @Override
        public String timeZone() {
            return "UTC";
        }

        @Override
        public Optional<String> guard() {
            return Optional.empty();
        }

        @Override
        public Optional<String> alsoDueWhen() {
            return Optional.empty();
        }

        @Override
        public LetheConfig.TargetSweep sweep() {
            return NO_OVERRIDES;
        }

        @Override
        public Optional<String> blobKeyColumn() {
            return Optional.empty();
        }

        @Override
        public LetheConfig.TargetFiles blobs() {
            return NO_FILES;
        }
    }

    private static final LetheConfig.TargetFiles NO_FILES = new LetheConfig.TargetFiles() {
        @Override
        public Optional<String> table() {
            return Optional.empty();
        }

        @Override
        public Optional<String> parentColumn() {
            return Optional.empty();
        }

        @Override
        public Optional<String> keyColumn() {
            return Optional.empty();
        }
    };

    private static final LetheConfig.TargetSweep NO_OVERRIDES = new LetheConfig.TargetSweep() {
        @Override
        public Optional<Duration> every() {
            return Optional.empty();
        }

        @Override
        public Optional<String> cron() {
            return Optional.empty();
        }

        @Override
        public Optional<Integer> batchSize() {
            return Optional.empty();
        }

        @Override
        public Optional<Integer> maxRowsPerSecond() {
            return Optional.empty();
        }
    };
}
