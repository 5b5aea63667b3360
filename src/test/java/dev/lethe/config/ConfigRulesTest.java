package dev.lethe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;

/**
 * The configuration model reads and checks {@code lethe.*} as Quarkus does at startup (the same mapping and Bean
 * Validation, Quarkus' duration format), so every kind of bad value is refused here, in one line naming the property, without a service.
 */
class ConfigRulesTest {

    private static final Map<String, String> MINIMAL = Map.of("lethe.targets.message.table", "Message");

    private static LetheConfig read(Map<String, String> properties) {
        return build(properties).getConfigMapping(LetheConfig.class);
    }

    private static SmallRyeConfig build(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(LetheConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .withValidator(new BeanValidationConfigValidatorImpl())
                .build();
    }

    /** The rules that read Quarkus' own settings too, as Lethe runs them before it connects. */
    private static void checkAgainstQuarkus(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(MINIMAL);
        properties.putAll(overrides);
        SmallRyeConfig config = build(properties);
        ConfigRules.checkAgainst(config.getConfigMapping(LetheConfig.class), config);
    }

    /** The problems, one line each, as Quarkus prints them. */
    private static List<String> problems(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(MINIMAL);
        properties.putAll(overrides);
        try {
            read(properties);
            return List.of();
        } catch (ConfigValidationException e) {
            return IntStream.range(0, e.getProblemCount()).mapToObj(i -> e.getProblem(i).getMessage()).toList();
        }
    }

    @Test
    void theDefaultsNeedOnlyATable() {
        LetheConfig config = read(MINIMAL);
        assertThat(config.batch().size()).isEqualTo(1000);
        assertThat(config.targets().get("message").idType()).isEmpty();
    }

    @Test
    void outOfRangeNumbersAreNamedTogether() {
        assertThat(problems(Map.of("lethe.batch.size", "0", "lethe.batch.queue-capacity", "-1",
                "lethe.batch.max-in-flight", "0", "lethe.sweep.parallelism", "0", "lethe.sweep.pause-factor", "-1",
                "lethe.outbox.batch-size", "1001")))
                .contains("lethe.batch.size must be greater than or equal to 1",
                        "lethe.batch.queue-capacity must be greater than or equal to 1",
                        "lethe.batch.max-in-flight must be greater than or equal to 1",
                        "lethe.sweep.parallelism must be greater than or equal to 1",
                        "lethe.sweep.pause-factor must be greater than or equal to 0",
                        "lethe.outbox.batch-size must be less than or equal to 1000");
    }

    @Test
    void tooShortDurationsAreNamed() {
        assertThat(problems(Map.of("lethe.sweep.every", "500ms", "lethe.targets.message.sweep.every", "0s",
                "lethe.database.statement-timeout", "0s")))
                .anySatisfy(line -> assertThat(line).startsWith("lethe.sweep.every must be"))
                .anySatisfy(line -> assertThat(line).startsWith("lethe.targets.message.sweep.every must be"))
                .anySatisfy(line -> assertThat(line).startsWith("lethe.database.statement-timeout must be"));
    }

    @Test
    void settingsThatContradictEachOtherAreNamed() {
        assertThat(problems(Map.of("lethe.batch.size", "500", "lethe.batch.queue-capacity", "100",
                "lethe.redis.reconnect-min-backoff", "10s", "lethe.redis.reconnect-max-backoff", "1s")))
                .contains("lethe needs lethe.batch.queue-capacity (100) to hold at least one batch of"
                        + " lethe.batch.size (500)")
                .anySatisfy(line -> assertThat(line).startsWith("lethe needs lethe.redis.reconnect-max-backoff"));
    }

    @Test
    void targetsAreCheckedBeforeAnyDatabaseIsAsked() {
        assertThat(problems(Map.of("lethe.targets.a b.table", "Message", "lethe.targets.lethe-own.table", "T",
                "lethe.targets.files.table", "a.b.c", "lethe.targets.files.blob-key-column", "key",
                "lethe.targets.kids.table", "Message", "lethe.targets.kids.blobs.table", "Attachment")))
                .contains("lethe cannot use the target name 'a b' (lethe.targets.a b.*): a target name has letters,"
                        + " digits, '_' and '-', at most 64")
                .contains("lethe keeps target names starting with 'lethe-' for its own targets: rename"
                        + " lethe.targets.lethe-own")
                .anySatisfy(line -> assertThat(line).startsWith("lethe cannot read lethe.targets.files.table=a.b.c"))
                .contains("lethe needs lethe.blobs.bucket, the bucket that holds the files"
                        + " lethe.targets.files.blob-key-column names")
                .contains("lethe needs lethe.targets.kids.blobs.parent-column and lethe.targets.kids.blobs.key-column"
                        + " with lethe.targets.kids.blobs.table");
    }

    @Test
    void noTargetAtAllIsNamed() {
        assertThatThrownBy(() -> read(Map.of())).isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("lethe needs at least one target");
    }

    @Test
    void typedValuesRefuseWhatTheyCannotBe() {
        assertThatThrownBy(() -> read(Map.of("lethe.targets.message.table", "Message",
                "lethe.targets.message.id-type", "guid")))
                .hasMessageContaining("lethe.targets.message.id-type");
        assertThatThrownBy(() -> read(Map.of("lethe.targets.message.table", "Message",
                "lethe.sweep.cron", "every minute")))
                .hasMessageContaining("lethe.sweep.cron").hasMessageContaining("not a Quartz cron expression");
        assertThatThrownBy(() -> read(Map.of("lethe.targets.message.table", "Message",
                "lethe.targets.message.time-zone", "UTC'; --")))
                .hasMessageContaining("lethe.targets.message.time-zone").hasMessageContaining("not a time zone name");
    }

    @Test
    void aGuardThatCouldWidenDeletionIsRefusedBeforeAnythingConnects() {
        assertThatThrownBy(() -> read(Map.of("lethe.targets.message.table", "Message",
                "lethe.targets.message.guard", "true) OR (true")))
                .hasMessageContaining("lethe.targets.message.guard")
                .hasMessageContaining("closes a parenthesis it did not open");
        assertThatThrownBy(() -> read(Map.of("lethe.targets.reset.table", "PasswordResetToken",
                "lethe.targets.reset.also-due-when", "\"usedAt\" IS NOT NULL -- and more")))
                .hasMessageContaining("lethe.targets.reset.also-due-when")
                .hasMessageContaining("holds a comment");
    }

    @Test
    void aShortBootstrapKeyIsNamed() {
        assertThat(problems(Map.of("lethe.admin.bootstrap-key", "too-short")))
                .contains("lethe.admin.bootstrap-key must be 32 to 256 random characters");
    }

    @Test
    void theDemoRunsOnlyOnTheDatabaseItNames() {
        checkAgainstQuarkus(Map.of("lethe.demo.enabled", "true",
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/lethe_demo?sslmode=disable"));
        assertThatThrownBy(() -> checkAgainstQuarkus(Map.of("lethe.demo.enabled", "true",
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/chat")))
                .hasMessageContaining("lethe.demo.enabled=true writes demo rows, so it runs only on the database"
                        + " lethe.demo.database=lethe_demo");
        assertThatThrownBy(() -> checkAgainstQuarkus(Map.of("lethe.demo.enabled", "true",
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/lethe_demo_backup")))
                .hasMessageContaining("lethe.demo.database=lethe_demo");
        checkAgainstQuarkus(Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/chat"));
    }

    @Test
    void aRedisDatabaseThatDiffersFromTheHostsOneIsNamed() {
        assertThatThrownBy(() -> checkAgainstQuarkus(Map.of("lethe.redis.database", "0",
                "quarkus.redis.hosts", "redis://127.0.0.1:6379/10",
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/chat")))
                .hasMessageContaining("lethe.redis.database=0 differs from the database 10 that quarkus.redis.hosts"
                        + " selects");
    }

    @Test
    void exampleSecretsAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> checkAgainstQuarkus(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/chat",
                "quarkus.datasource.password", "change-me",
                "quarkus.redis.hosts", "redis://:Change-Me@redis:6379",
                "lethe.admin.bootstrap-key", "change-me-to-at-least-32-random-characters")))
                .hasMessageContaining("quarkus.datasource.password still holds an example value (change-me...)")
                .hasMessageContaining("quarkus.redis.hosts still holds an example value")
                .hasMessageContaining("lethe.admin.bootstrap-key still holds an example value")
                .satisfies(refused -> assertThat(refused.getMessage()).doesNotContain("Change-Me@"));
    }

    @Test
    void buffersTheHeapCannotHoldAreRefused() {
        assertThat(problems(Map.of("lethe.batch.queue-capacity", "10000000", "lethe.deferred.capacity", "10000000")))
                .anySatisfy(problem -> assertThat(problem).startsWith("lethe cannot fit its buffers in the heap:")
                        .contains("lower lethe.batch.queue-capacity"));
        MemoryBudget defaults = MemoryBudget.of(read(Map.of("lethe.targets.a.table", "A", "lethe.targets.b.table",
                "B", "lethe.targets.c.table", "C", "lethe.targets.d.table", "D", "lethe.targets.e.table", "E")));
        assertThat(defaults.total() + MemoryBudget.RESERVE).as("the defaults, five targets, fit a 128 MiB heap")
                .isLessThanOrEqualTo(128L << 20);
    }

    @Test
    void everyNumberHasACeiling() {
        assertThat(problems(Map.of("lethe.deferred.remembered", "2000000000",
                "lethe.database.deadline-margin", "100000000000d", "lethe.sweep.max-run-time", "3650000d",
                "lethe.admin.failures-per-minute", "2147483647")))
                .contains("lethe.deferred.remembered must be less than or equal to 10000000",
                        "lethe.admin.failures-per-minute must be less than or equal to 10000")
                .anySatisfy(problem -> assertThat(problem).startsWith("lethe.sweep.max-run-time must be shorter"))
                .anySatisfy(problem -> assertThat(problem).startsWith("lethe.database.deadline-margin"));
    }

    @Test
    void aJdbcUrlIsNamed() {
        assertThatThrownBy(() -> checkAgainstQuarkus(Map.of(
                "quarkus.datasource.reactive.url", "jdbc:postgresql://127.0.0.1:5432/chat")))
                .hasMessageContaining("quarkus.datasource.reactive.url must start with postgresql://");
    }
}
