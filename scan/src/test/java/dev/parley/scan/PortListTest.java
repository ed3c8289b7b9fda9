package dev.parley.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortListTest {
    private static PortList parse(String spec) {
        return PortList.parse(spec, Services.bundled());
    }

    @Test
    void singlePortsAndListsComeOutAscendingWithoutDuplicates() {
        assertThat(parse("80").toArray()).containsExactly(80);
        assertThat(parse("443,22,80,22").toArray()).containsExactly(22, 80, 443);
        assertThat(parse(" 22 , 80 ").toArray()).containsExactly(22, 80);
    }

    @Test
    void rangesIncludeBothEnds() {
        assertThat(parse("8000-8003").toArray()).containsExactly(8000, 8001, 8002, 8003);
        assertThat(parse("22,80,8000-8002").toArray()).containsExactly(22, 80, 8000, 8001, 8002);
        assertThat(parse("5-5").toArray()).containsExactly(5);
        assertThat(parse("3-5,4-6").toArray()).containsExactly(3, 4, 5, 6);
    }

    @Test
    void openRangesRunToTheEnds() {
        assertThat(parse("-3").toArray()).containsExactly(1, 2, 3);
        assertThat(parse("65533-").toArray()).containsExactly(65533, 65534, 65535);
    }

    @Test
    void aLoneDashAndTheFullRangeMeanEveryPort() {
        for (PortList all : new PortList[] {parse("-"), parse("1-65535"), parse("1-"), PortList.all()}) {
            assertThat(all.size()).isEqualTo(65535);
            assertThat(all.get(0)).isEqualTo(1);
            assertThat(all.get(65534)).isEqualTo(65535);
        }
    }

    @Test
    void serviceNamesFromTheBundledTable() {
        assertThat(parse("ssh,HTTP,https").toArray()).containsExactly(22, 80, 443);
        assertThat(parse("ircd,6697").toArray()).containsExactly(6667, 6697);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|port 0 out of range 1-65535",
            "70000|port 70000 out of range 1-65535",
            "1-70000|port 70000 out of range 1-65535 in '1-70000'",
            "0-10|port 0 out of range 1-65535 in '0-10'",
            "100-10|backwards port range '100-10'",
            "22,,80|empty item in port list '22,,80'",
            "22x|bad port '22x'",
            "1-2-3|bad port '1-2-3'",
            "99999999999|bad port '99999999999'",
            "nosuchservice|unknown port or service 'nosuchservice'",
            "' '|empty port list"})
    void malformedListsAreExplained(String spec, String message) {
        assertThatThrownBy(() -> parse(spec)).isInstanceOf(BadInputException.class).hasMessage(message);
    }
}
