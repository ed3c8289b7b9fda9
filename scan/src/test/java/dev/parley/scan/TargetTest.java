package dev.parley.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetTest {
    private static final long MAX = 65536;

    /** A resolver that knows two names and never asks DNS. */
    private static final Target.Resolver FAKE_DNS = host -> switch (host) {
        case "example.test" -> InetAddress.getByName("192.0.2.77");
        case "v6.example.test" -> InetAddress.getByName("2001:db8::77");
        default -> throw new UnknownHostException(host);
    };

    private static List<String> addresses(String text) throws UnknownHostException {
        Target.Block b = Target.resolve(Target.parse(text, MAX), FAKE_DNS, MAX);
        List<String> out = new ArrayList<>();
        for (long i = 0; i < b.count(); i++) {
            out.add(b.host(i).addressText());
        }
        return out;
    }

    @Test
    void ipv4Address() throws Exception {
        assertThat(addresses("127.0.0.1")).containsExactly("127.0.0.1");
        assertThat(Target.parse("127.0.0.1", MAX)).isInstanceOf(Target.Block.class);
    }

    @Test
    void ipv6AddressesPlainOrBracketed() throws Exception {
        assertThat(addresses("::1")).containsExactly("::1");
        assertThat(addresses("[::1]")).containsExactly("::1");
        assertThat(addresses("2001:db8::1")).containsExactly("2001:db8::1");
    }

    @Test
    void hostNamesAreResolvedAndKeepTheirName() throws Exception {
        Target t = Target.parse("example.test", MAX);
        assertThat(t).isEqualTo(new Target.Name("example.test", "example.test", -1));
        Target.Block b = Target.resolve(t, FAKE_DNS, MAX);
        assertThat(b.host(0).label()).isEqualTo("example.test (192.0.2.77)");
        assertThat(Target.parse("my-host.example", MAX)).isInstanceOf(Target.Name.class);
        assertThat(Target.parse("1-2-3.example", MAX)).isInstanceOf(Target.Name.class);
        assertThat(Target.parse("localhost", MAX)).isInstanceOf(Target.Name.class);
    }

    @Test
    void anUnknownNameFailsOnlyWhenResolved() {
        Target t = Target.parse("nope.test", MAX);
        assertThatThrownBy(() -> Target.resolve(t, FAKE_DNS, MAX)).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void cidrBlocksStartAtTheNetworkAddress() throws Exception {
        assertThat(addresses("10.0.0.0/30")).containsExactly("10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3");
        assertThat(addresses("10.0.0.5/30")).containsExactly("10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7");
        assertThat(addresses("10.0.0.9/32")).containsExactly("10.0.0.9");
        assertThat(addresses("192.168.0.0/16")).hasSize(65536).startsWith("192.168.0.0").endsWith("192.168.255.255");
        assertThat(addresses("2001:db8::/126")).containsExactly(
                "2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3");
    }

    @Test
    void aNameWithAPrefixCoversItsNetwork() throws Exception {
        assertThat(addresses("example.test/30"))
                .containsExactly("192.0.2.76", "192.0.2.77", "192.0.2.78", "192.0.2.79");
        assertThat(addresses("v6.example.test/127")).containsExactly("2001:db8::76", "2001:db8::77");
    }

    @Test
    void lastOctetRanges() throws Exception {
        List<String> a = addresses("10.0.0.1-20");
        assertThat(a).hasSize(20).startsWith("10.0.0.1").endsWith("10.0.0.20");
        assertThat(addresses("10.0.0.7-7")).containsExactly("10.0.0.7");
    }

    @Test
    void fullRangesCrossOctets() throws Exception {
        assertThat(addresses("10.0.0.254-10.0.1.1")).containsExactly("10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1");
        assertThat(addresses("2001:db8::fffe-2001:db8::1:1")).containsExactly(
                "2001:db8::fffe", "2001:db8::ffff", "2001:db8::1:0", "2001:db8::1:1");
    }

    @Test
    void ipv6LastGroupRanges() throws Exception {
        assertThat(addresses("2001:db8::1-3")).containsExactly(
                "2001:db8::1", "2001:db8::2", "2001:db8::3");
        assertThat(addresses("2001:db8::fe-ff")).containsExactly("2001:db8::fe", "2001:db8::ff");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.0.300|bad IPv4 address '10.0.0.300'",
            "10.0.0|bad IPv4 address '10.0.0'",
            "1.2.3.4.5|bad IPv4 address '1.2.3.4.5'",
            "10.0.0.0/33|bad prefix length in '10.0.0.0/33' (at most 32)",
            "10.0.0.0/x|bad prefix length in '10.0.0.0/x'",
            "10.0.0.0/|bad prefix length in '10.0.0.0/'",
            "example.test/129|bad prefix length in 'example.test/129'",
            "::1/129|bad prefix length in '::1/129' (at most 128)",
            "10.0.0.20-10|backwards address range '10.0.0.20-10'",
            "10.0.0.1-300|bad address range '10.0.0.1-300': 300 is no octet",
            "10.0.0.1-x|bad address range '10.0.0.1-x'",
            "10.0.0-5|bad address range '10.0.0-5'",
            "10.0.0.1--5|bad address range '10.0.0.1--5'",
            "10.0.0.1-::1|address range '10.0.0.1-::1' mixes IPv4 and IPv6",
            "10.0.1.0-10.0.0.255|backwards address range '10.0.1.0-10.0.0.255'",
            "2001:db8::zz|bad IPv6 address '2001:db8::zz'",
            "host:80|bad IPv6 address 'host:80'",
            "bad_host!|bad host name 'bad_host!'",
            "-oops|bad host name '-oops'",
            "10.0.0.0/8|'10.0.0.0/8' holds 16777216 addresses, more than --max-hosts 65536",
            "2001:db8::/64|'2001:db8::/64' holds 18446744073709551616 addresses, more than --max-hosts 65536",
            "0.0.0.0-255.255.255.255|'0.0.0.0-255.255.255.255' holds 4294967296 addresses, more than --max-hosts 65536"})
    void malformedTargetsAreExplained(String text, String message) {
        assertThatThrownBy(() -> Target.parse(text, MAX)).isInstanceOf(BadInputException.class).hasMessage(message);
    }

    @Test
    void aResolvedNamesBlockIsCheckedAgainstTheLimitAndItsFamilyToo() {
        Target big = Target.parse("example.test/8", MAX);
        assertThatThrownBy(() -> Target.resolve(big, FAKE_DNS, MAX)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("more than --max-hosts");
        Target tooLong = Target.parse("example.test/33", MAX);
        assertThatThrownBy(() -> Target.resolve(tooLong, FAKE_DNS, MAX)).isInstanceOf(BadInputException.class)
                .hasMessage("bad prefix length in 'example.test/33' (at most 32)");
    }

    @Test
    void ipv6AddressesAreShownInTheirShortForm() throws Exception {
        assertThat(Addresses.text(InetAddress.getByName("2001:db8::1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Addresses.text(InetAddress.getByName("2001:0:0:1::1"))).isEqualTo("2001:0:0:1::1");
        assertThat(Addresses.text(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(Addresses.text(InetAddress.getByName("1::"))).isEqualTo("1::");
        assertThat(Addresses.text(InetAddress.getByName("2001:db8:1:2:3:4:0:6"))).isEqualTo("2001:db8:1:2:3:4:0:6");
        assertThat(Addresses.text(InetAddress.getByName("fe80::1%1"))).startsWith("fe80::1%");
        assertThat(Addresses.text(InetAddress.getByName("10.1.2.3"))).isEqualTo("10.1.2.3");
    }
}
