package dev.lethe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class IdTypeTest {

    @Test
    void uuidParsingIsStrictAndMatchesTheJdk() {
        for (int i = 0; i < 100; i++) {
            UUID id = UUID.randomUUID();
            assertThat(IdType.UUID.parse(id.toString())).isEqualTo(id);
        }
        assertThat(IdType.UUID.parse("ffffffff-ffff-ffff-ffff-ffffffffffff"))
                .isEqualTo(new UUID(-1L, -1L));
        assertThat(IdType.UUID.parse("1-1-1-1-1")).isNull();
        assertThat(IdType.UUID.parse("{00000000-0000-0000-0000-000000000000}")).isNull();
        assertThat(IdType.UUID.parse("000000000000-0000-0000-0000-00000000")).isNull();
    }

    @Test
    void columnTypesMapToIdTypes() {
        assertThat(IdType.forColumnType("int4")).contains(IdType.BIGINT);
        assertThat(IdType.forColumnType("varchar")).contains(IdType.TEXT);
        assertThat(IdType.forColumnType("uuid")).contains(IdType.UUID);
        assertThat(IdType.forColumnType("numeric")).isEmpty();
    }

    @Test
    void idsAreAsciiDigitsAndHexLettersOnly() {
        UUID id = UUID.fromString("12345678-9abc-def0-1234-56789abcdef0");
        assertThat(IdType.UUID.parse("12345678-9ABC-DEF0-1234-56789ABCDEF0")).isEqualTo(id);
        // Full-width and Arabic-Indic digits are digits to Character.digit, and would match the ASCII row.
        assertThat(IdType.UUID.parse("\uFF11" + "2345678-9abc-def0-1234-56789abcdef0")).isNull();
        assertThat(IdType.UUID.parse("\u0661" + "2345678-9abc-def0-1234-56789abcdef0")).isNull();
        assertThat(IdType.UUID.parse("12345678-9abc-def0-1234-56789abcdef\uFF10")).isNull();
        assertThat(IdType.BIGINT.parse("\u0661\u0662")).isNull();
        assertThat(IdType.BIGINT.parse("\uFF17")).isNull();
        assertThat(IdType.BIGINT.parse("12")).isEqualTo(12L);
    }
}
