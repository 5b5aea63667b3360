package dev.lethe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lethe.config.LetheConfig;
import dev.lethe.sql.IdType;
import dev.lethe.sql.Identifier;
import dev.lethe.sql.Predicate;
import dev.lethe.sql.QualifiedName;
import dev.lethe.sql.TableShape;
import dev.lethe.sql.Target;
import dev.lethe.sql.TimeZoneName;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The one startup line: what shapes this instance's behaviour, and never a secret. */
class EffectiveSettingsTest {

    private static final Target MESSAGE = Target.of("message", new TableShape(QualifiedName.of("public", "Message"),
            new Identifier("id"), new Identifier("expiresAt"), Optional.of(new TimeZoneName("UTC")),
            Optional.of(new Predicate("NOT \"legalHold\"")), Optional.empty(), false), IdType.UUID);

    @Test
    void theDatabaseUrlLosesItsUserInformationAndItsQuery() {
        String line = describe(Map.of(), "postgresql://lethe:s3cret@db.internal:5432/chat?sslmode=require"
                + "&password=s3cret", Optional.of("lethe"));

        assertThat(line).contains("; database postgresql://db.internal:5432/chat as lethe (pooler none,")
                .doesNotContain("s3cret").doesNotContain("sslmode");
    }

    @Test
    void aPasswordHoldingTheUrlsSeparatorsIsHiddenWhole() {
        String line = describe(Map.of(), "postgresql://lethe:p@ss/w?rd@db:5432/chat", Optional.empty());

        assertThat(line).contains("; database postgresql://db:5432/chat (pooler").doesNotContain("p@ss")
                .doesNotContain("w?rd");
    }

    @Test
    void theLineNamesTheTargetsTheKeysAndWhereTheyComeFrom() {
        String line = describe(Map.of(), "postgresql://db:5432/chat", Optional.empty());

        assertThat(line).startsWith("Lethe 1.2.3: 1 target(s) message=")
                .contains("(uuid, timestamps read in UTC, guarded)")
                .contains("; keys chat:<target>:<id> on __keyevent@0__:expired at 127.0.0.1:6379")
                .contains("up to 7 connections")
                .doesNotContain("bucket").doesNotContain("stream");
    }

    @Test
    void filesAndAnnouncementsAreNamedOnlyWhenConfigured() {
        String line = describe(Map.of("lethe.blobs.bucket", "files", "lethe.events.stream", "chat:deleted"),
                "postgresql://db:5432/chat", Optional.empty());

        assertThat(line).endsWith("; files deleted from bucket files; deletions announced on stream chat:deleted");
    }

    private static String describe(Map<String, String> settings, String databaseUrl, Optional<String> user) {
        Map<String, String> properties = new HashMap<>(Map.of("lethe.targets.message.table", "Message",
                "lethe.key-prefix", "chat"));
        properties.putAll(settings);
        LetheConfig config = new SmallRyeConfigBuilder()
                .withMapping(LetheConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build().getConfigMapping(LetheConfig.class);
        return EffectiveSettings.describe("1.2.3", config, List.of(MESSAGE), "__keyevent@0__:expired",
                "127.0.0.1:6379", databaseUrl, user, 7);
    }
}
