package dev.lethe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;

/**
 * Targets configured through environment variables, read with the sources' precedence Quarkus gives them (the
 * environment, 300, above application.properties, 250): the forms docs/configuration.md documents, each proved here.
 */
class EnvironmentVariablesTest {

    private static LetheConfig read(Map<String, String> environment, Map<String, String> applicationProperties) {
        return new SmallRyeConfigBuilder()
                .withMapping(LetheConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new EnvConfigSource(environment, 300),
                        new PropertiesConfigSource(applicationProperties, "application.properties", 250))
                .withValidator(new BeanValidationConfigValidatorImpl())
                .build()
                .getConfigMapping(LetheConfig.class);
    }

    @Test
    void aTargetNamedInLettersAndDigitsIsDefinedByTheEnvironmentAlone() {
        LetheConfig config = read(Map.of(
                "LETHE_TARGETS_APIKEYS_TABLE", "ApiKey",
                "LETHE_TARGETS_APIKEYS_EXPIRES_COLUMN", "revokeAt",
                "LETHE_TARGETS_APIKEYS_GUARD", "\"pinned\" = false"), Map.of());

        assertThat(config.targets()).containsOnlyKeys("apikeys");
        LetheConfig.TargetConfig target = config.targets().get("apikeys");
        assertThat(target.table()).isEqualTo("ApiKey");
        assertThat(target.expiresColumn()).isEqualTo("revokeAt");
        assertThat(target.guard()).isPresent();
    }

    @Test
    void aDashedNameInTheEnvironmentAloneDefinesNoTarget() {
        // Read back as lethe.targets.api.keys.table: not a target's table, so no target exists and startup says so.
        assertThatThrownBy(() -> read(Map.of("LETHE_TARGETS_API_KEYS_TABLE", "ApiKey"), Map.of()))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("lethe needs at least one target");
    }

    @Test
    void aDashedNameInTheFileLetsTheEnvironmentSetItsSettings() {
        LetheConfig config = read(
                Map.of("LETHE_TARGETS_API_KEYS_TABLE", "ApiKey", "LETHE_TARGETS_API_KEYS_ID_COLUMN", "key"),
                Map.of("lethe.targets.api-keys.table", ""));

        assertThat(config.targets()).containsOnlyKeys("api-keys");
        assertThat(config.targets().get("api-keys").table()).isEqualTo("ApiKey");
        assertThat(config.targets().get("api-keys").idColumn()).isEqualTo("key");
    }

    @Test
    void aVariableNamedWithThePropertyItselfIsReadAsItIs() {
        LetheConfig config = read(Map.of("lethe.targets.api-keys.table", "ApiKey"), Map.of());

        assertThat(config.targets()).containsOnlyKeys("api-keys");
        assertThat(config.targets().get("api-keys").table()).isEqualTo("ApiKey");
    }

    @Test
    void theEnvironmentOverridesTheFile() {
        LetheConfig config = read(Map.of("LETHE_TARGETS_MESSAGE_TABLE", "ChatMessage"),
                Map.of("lethe.targets.message.table", "Message"));

        assertThat(config.targets().get("message").table()).isEqualTo("ChatMessage");
    }
}
