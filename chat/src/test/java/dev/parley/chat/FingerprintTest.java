package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@code --tls-fingerprint}: hex, colons optional, any case; anything else is explained. */
class FingerprintTest {
    private static final String HEX = "0123456789abcdef".repeat(4);

    @Test
    void colonsCaseAndPrefixDoNotMatter() {
        byte[] expected = HexFormat.of().parseHex(HEX);
        String colons = HexFormat.ofDelimiter(":").withUpperCase().formatHex(expected);
        assertThat(Fingerprint.parse(HEX)).isEqualTo(expected);
        assertThat(Fingerprint.parse(colons)).isEqualTo(expected);
        assertThat(Fingerprint.parse("sha256:" + colons.toLowerCase())).isEqualTo(expected);
        assertThat(Fingerprint.format(expected)).isEqualTo(colons);
    }

    @Test
    void aWrongLengthOrNonHexIsExplained() {
        assertThatThrownBy(() -> Fingerprint.parse(HEX.substring(2))).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> Fingerprint.parse(HEX.substring(1) + "g")).hasMessageContaining("64 hex digits");
    }
}
