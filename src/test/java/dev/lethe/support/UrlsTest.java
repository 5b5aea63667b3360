package dev.lethe.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Connection URLs as logs show them: whatever may hold a password is gone. */
class UrlsTest {

    @Test
    void aUrlWithoutSecretsIsShownAsItIs() {
        assertThat(Urls.withoutSecrets("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
        assertThat(Urls.withoutSecrets("postgresql://db:5432/chat")).isEqualTo("postgresql://db:5432/chat");
        assertThat(Urls.withoutSecrets("")).isEmpty();
    }

    @Test
    void userInformationGoesWithOrWithoutAPassword() {
        assertThat(Urls.withoutSecrets("rediss://:s3cret@cache:6380/0")).isEqualTo("rediss://cache:6380/0");
        assertThat(Urls.withoutSecrets("postgresql://lethe@db/chat")).isEqualTo("postgresql://db/chat");
    }

    @Test
    void theQueryGoesSinceItsParametersMayHoldAPassword() {
        assertThat(Urls.withoutSecrets("postgresql://db/chat?password=s3cret&sslmode=require"))
                .isEqualTo("postgresql://db/chat");
    }

    @Test
    void aPasswordHoldingAtSignsSlashesAndQuestionMarksGoesWhole() {
        assertThat(Urls.withoutSecrets("postgresql://lethe:p@ss/w?rd@db:5432/chat?sslmode=require"))
                .isEqualTo("postgresql://db:5432/chat");
    }

    @Test
    void noPasswordOfAListOfHostsIsShown() {
        assertThat(Urls.withoutSecrets("redis://lethe:first@h1:6379,redis://lethe:second@h2:6379"))
                .doesNotContain("first").doesNotContain("second");
    }
}
