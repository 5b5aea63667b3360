package dev.lethe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class QualifiedNameTest {

    @Test
    void prismaTableKeepsItsCase() {
        assertThat(QualifiedName.parse("SessionKey").sql()).isEqualTo("\"SessionKey\"");
    }

    @Test
    void schemaQualifiedName() {
        QualifiedName name = QualifiedName.parse("chat.Message");
        assertThat(name).isEqualTo(new QualifiedName(Optional.of("chat"), "Message"));
        assertThat(name.sql()).isEqualTo("\"chat\".\"Message\"");
    }

    @Test
    void quotedPartsMayHoldDotsAndQuotes() {
        QualifiedName name = QualifiedName.parse("\"my.schema\".\"say \"\"hi\"\"\"");
        assertThat(name).isEqualTo(new QualifiedName(Optional.of("my.schema"), "say \"hi\""));
        assertThat(name.sql()).isEqualTo("\"my.schema\".\"say \"\"hi\"\"\"");
    }

    @Test
    void injectionAttemptStaysOneIdentifier() {
        assertThatThrownBy(() -> QualifiedName.parse("x\"; DROP TABLE y; --"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(QualifiedName.parse("\"x\"\"; DROP TABLE y; --\"").sql())
                .isEqualTo("\"x\"\"; DROP TABLE y; --\"");
        assertThat(new Identifier("x\"; DROP TABLE y; --").sql()).isEqualTo("\"x\"\"; DROP TABLE y; --\"");
    }

    @Test
    void malformedNamesAreRejected() {
        assertThatThrownBy(() -> QualifiedName.parse("a.b.c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QualifiedName.parse(".Message")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QualifiedName.parse("\"open")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QualifiedName.parse("\"a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QualifiedName.parse(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
