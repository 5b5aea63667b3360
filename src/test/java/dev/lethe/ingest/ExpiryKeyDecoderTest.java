package dev.lethe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.lethe.metrics.EventOutcome;
import dev.lethe.sql.IdType;
import dev.lethe.sql.Identifier;
import dev.lethe.sql.QualifiedName;
import dev.lethe.sql.TableShape;
import dev.lethe.sql.Target;

class ExpiryKeyDecoderTest {

    private static final Target MESSAGE = target("message", IdType.UUID);
    private static final Target TOKEN = target("refresh", IdType.BIGINT);
    private static final Target SESSION = target("session", IdType.TEXT);

    private final ExpiryKeyDecoder decoder = new ExpiryKeyDecoder("lethe", 128,
            Map.of("message", MESSAGE, "refresh", TOKEN, "session", SESSION));

    @Test
    void acceptsAKeyOfEachIdType() {
        UUID id = UUID.randomUUID();
        assertThat(accepted("lethe:message:" + id)).isEqualTo(new ExpiryKey(MESSAGE, id));
        assertThat(accepted("lethe:refresh:42")).isEqualTo(new ExpiryKey(TOKEN, 42L));
        assertThat(accepted("lethe:session:device:7:key")).as("a text id may contain the separator")
                .isEqualTo(new ExpiryKey(SESSION, "device:7:key"));
        assertThat(accepted("lethe:session:ключ")).isEqualTo(new ExpiryKey(SESSION, "ключ"));
    }

    @Test
    void uppercaseUuidIsTheSameRow() {
        UUID id = UUID.randomUUID();
        assertThat(accepted("lethe:message:" + id.toString().toUpperCase())).isEqualTo(new ExpiryKey(MESSAGE, id));
    }

    @Test
    void keysOfOtherApplicationsAreIgnored() {
        assertThat(rejected("sess:abc")).isEqualTo(EventOutcome.IGNORED);
        assertThat(rejected("lethex:message:1")).isEqualTo(EventOutcome.IGNORED);
        assertThat(rejected("leth")).isEqualTo(EventOutcome.IGNORED);
        assertThat(rejected("")).isEqualTo(EventOutcome.IGNORED);
        assertThat(rejected("other:" + "x".repeat(1000))).as("long foreign keys are not ours to judge")
                .isEqualTo(EventOutcome.IGNORED);
    }

    @Test
    void malformedKeysOfOursAreInvalid() {
        assertThat(rejected("lethe:")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:message")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:unknown:1")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:Message:" + UUID.randomUUID())).as("target names are case-sensitive")
                .isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:message:")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:message:1-1-1-1-1")).as("java.util.UUID would accept it").isEqualTo(
                EventOutcome.INVALID);
        assertThat(rejected("lethe:message:" + UUID.randomUUID() + " ")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:refresh:1; DROP TABLE refresh_tokens")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:refresh:+1")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:refresh:01")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:refresh:-0")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:refresh:9223372036854775808")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:session:a\0b")).isEqualTo(EventOutcome.INVALID);
        assertThat(rejected("lethe:session:" + "x".repeat(200))).isEqualTo(EventOutcome.INVALID);
    }

    @Test
    void bigintBoundsAreAccepted() {
        assertThat(accepted("lethe:refresh:9223372036854775807")).isEqualTo(new ExpiryKey(TOKEN, Long.MAX_VALUE));
        assertThat(accepted("lethe:refresh:-9223372036854775808")).isEqualTo(new ExpiryKey(TOKEN, Long.MIN_VALUE));
        assertThat(accepted("lethe:refresh:0")).isEqualTo(new ExpiryKey(TOKEN, 0L));
    }

    @Test
    void bytesThatAreNotUtf8AreInvalidNotAnException() {
        byte[] key = "lethe:session:ab".getBytes(StandardCharsets.UTF_8);
        key[key.length - 1] = (byte) 0xff;
        assertThat(decoder.decode(key)).isInstanceOf(DecodedKey.Rejected.class)
                .extracting(r -> ((DecodedKey.Rejected) r).outcome()).isEqualTo(EventOutcome.INVALID);
        byte[] target = "lethe:mess\u00e9ge:1".getBytes(StandardCharsets.UTF_8);
        assertThat(((DecodedKey.Rejected) decoder.decode(target)).outcome()).isEqualTo(EventOutcome.INVALID);
    }

    @Test
    void prefixMayItselfContainColons() {
        ExpiryKeyDecoder nested = new ExpiryKeyDecoder("app:lethe", 128, Map.of("refresh", TOKEN));
        DecodedKey decoded = nested.decode("app:lethe:refresh:5".getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isEqualTo(new DecodedKey.Accepted(new ExpiryKey(TOKEN, 5L)));
    }

    private ExpiryKey accepted(String key) {
        DecodedKey decoded = decoder.decode(key.getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).as(key).isInstanceOf(DecodedKey.Accepted.class);
        return ((DecodedKey.Accepted) decoded).key();
    }

    private EventOutcome rejected(String key) {
        DecodedKey decoded = decoder.decode(key.getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).as(key).isInstanceOf(DecodedKey.Rejected.class);
        return ((DecodedKey.Rejected) decoded).outcome();
    }

    private static Target target(String name, IdType type) {
        return Target.of(name, new TableShape(QualifiedName.of("public", "T"), new Identifier("id"),
                new Identifier("expiresAt"), Optional.empty(), Optional.empty(), Optional.empty(), false), type);
    }
}
