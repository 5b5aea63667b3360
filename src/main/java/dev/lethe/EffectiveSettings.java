package dev.lethe;

import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.lethe.config.LetheConfig;
import dev.lethe.config.MemoryBudget;
import dev.lethe.sql.Target;
import dev.lethe.support.Urls;

/**
 * The one startup line that says what this instance runs with: version, targets, and the settings that shape its
 * behaviour. Never a secret: connection strings lose their user information and query.
 */
public final class EffectiveSettings {

    private EffectiveSettings() {
    }

    public static String describe(String version, LetheConfig config, Collection<Target> targets, String channel,
            String redisNodes, String databaseUrl, Optional<String> databaseUser, int connections) {
        String targetList = targets.stream()
                .map(t -> t.name() + "=" + t.shape().displayName() + " (" + t.idType().configName()
                        + t.shape().zone().map(zone -> ", timestamps read in " + zone).orElse("")
                        + t.shape().guard().map(g -> ", guarded").orElse("")
                        + t.shape().alsoDueWhen().map(a -> ", also due when used").orElse("")
                        + (t.outbox().hasFiles() ? ", with files" : "") + ")")
                .collect(Collectors.joining(", "));
        LetheConfig.Sweep sweep = config.sweep();
        return "Lethe " + version + ": " + targets.size() + " target(s) " + targetList
                + "; keys " + config.keyPrefix() + ":<target>:<id> on " + channel + " at " + redisNodes
                + "; database " + Urls.withoutSecrets(databaseUrl) + databaseUser.map(u -> " as " + u).orElse("")
                + " (pooler " + config.database().pooler().label() + ", up to " + connections + " connections)"
                + "; events in batches of " + config.batch().size() + " (linger " + config.batch().linger().toMillis()
                + " ms, " + config.batch().maxInFlight() + " in flight)"
                + "; sweep " + sweep.cron().map(c -> "cron " + c).orElse("every " + sweep.every().toMillis() + " ms")
                + ", up to " + sweep.batchSize() + " rows per statement of about "
                + sweep.statementTarget().toMillis() + " ms, pause factor " + sweep.pauseFactor()
                + ", look-ahead " + sweep.lookahead().toMillis() + " ms"
                + "; statement timeout " + config.database().statementTimeout().toMillis() + " ms"
                + "; buffers at most " + MemoryBudget.of(config).total() / (1L << 20) + " MiB of a "
                + Runtime.getRuntime().maxMemory() / (1L << 20) + " MiB heap"
                + config.blobs().bucket().map(bucket -> "; files deleted from bucket " + bucket).orElse("")
                + config.events().stream().map(stream -> "; deletions announced on stream " + stream).orElse("");
    }
}
