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
        assertThat(IdType.fromConfig(" BIGINT ")).contains(IdType.BIGINT);
        assertThat(IdType.fromConfig("guid")).isEmpty();
    }
}
