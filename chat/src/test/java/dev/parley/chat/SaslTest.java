package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaslTest {
    @Test
    void plainPayloadIsNulSeparated() {
        byte[] raw = Base64.getDecoder().decode(Sasl.plain("jilles", "sesame"));
        assertThat(new String(raw, StandardCharsets.UTF_8)).isEqualTo("\0jilles\0sesame");
    }

    @Test
    void longPayloadsAreChunkedAndAnExactMultipleEndsWithPlus() {
        String p400 = "a".repeat(400);
        assertThat(Sasl.chunks(p400)).containsExactly(p400, "+");
        List<String> chunks = Sasl.chunks("b".repeat(850));
        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(2)).hasSize(50);
        assertThat(Sasl.chunks("short")).containsExactly("short");
    }

    @Test
    void mechanismListDecidesWhetherPlainIsOffered() {
        assertThat(Sasl.offersPlain("PLAIN,EXTERNAL")).isTrue();
        assertThat(Sasl.offersPlain("EXTERNAL,SCRAM-SHA-256")).isFalse();
        assertThat(Sasl.offersPlain("")).isTrue();
    }
}
