package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcParser;
import dev.parley.server.config.EngineKind;
import dev.parley.server.core.Cap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inputs the fuzz tests (server/src/fuzz, {@code -Pfuzz}) and their review turned up, replayed
 * through real clients on a real hub with no socket: each must be answered with well-formed
 * lines and no internal error.
 */
class FuzzFindingsTest {
    private Embedded server;

    /** Replies queued for {@code c}, each checked to be one well-formed line with no internal error. */
    private static List<String> take(Embedded.Conn c) {
        List<String> got = c.takeLines();
        for (String l : got) {
            assertThat(l).doesNotContain("\r", "\n", "\0");
            try {
                IrcParser.standard().parse(l);
            } catch (Exception e) {
                throw new AssertionError("does not parse: " + l, e);
            }
            assertThat(l).as("internal error").doesNotContain(" 400 ");
        }
        return got;
    }

    @BeforeEach
    void start() {
        server = new Embedded(ServerFixture.config(EngineKind.VIRTUAL).cloak(false).build()); // exact lines, addresses in them
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Embedded.Conn registered(String nick) {
        Embedded.Conn w = server.connect();
        w.send("NICK " + nick, "USER " + nick + " 0 * :" + nick);
        take(w);
        return w;
    }

    @Test
    void anEmptyOrSpacedWhoMaskIsEchoedAsAStar() throws Exception {
        // found by fuzzing (ServerFuzzTestInputs/clientsTalkToAHub/crash-7f25c98f…): "WHO :" made the
        // end-of-list numeric carry an empty middle parameter, which IrcMessage refuses: ERR_UNKNOWNERROR
        Embedded.Conn carol = registered("carol");
        carol.send("WHO :\r\nWHO :a b\r\nWHO ::x");
        assertThat(take(carol)).containsExactly(
                ":irc.test 315 carol * :End of WHO list",
                ":irc.test 315 carol * :End of WHO list",
                ":irc.test 315 carol * :End of WHO list");
    }

    @Test
    void otherEchoedTrailingParametersDoNotBreakReplies() throws Exception {
        Embedded.Conn carol = registered("carol");
        carol.send("WHOIS :no one\r\nCAP :a b\r\nTOPIC :#no such");
        assertThat(take(carol)).contains(
                ":irc.test 401 carol * :No such nick/channel",
                ":irc.test 410 carol * :Invalid CAP command");
    }

    @Test
    void aModeLineCarriesAtMostFifteenParameters() throws Exception {
        // a MODE line with more than 15 parameters is read back with the 16th glued to the 15th;
        // IrcMessage now refuses such a message, so MODE splits its announcement instead
        Embedded.Conn alice = registered("alice");
        Embedded.Conn bob = registered("bob");
        alice.send("JOIN #a");
        bob.send("JOIN #a");
        take(alice);
        take(bob);
        StringBuilder cmd = new StringBuilder("MODE #a ");
        for (int i = 0; i < 13; i++) {
            cmd.append("+k-k");
        }
        for (int i = 0; i < 13; i++) {
            cmd.append(" k").append(i);
        }
        alice.send(cmd.toString());
        List<String> seen = take(bob);
        assertThat(seen).hasSizeGreaterThan(1).allSatisfy(l -> assertThat(l).startsWith(":alice!~alice@127.0.0.1 MODE #a "));
        int args = 0;
        for (String l : seen) {
            int params = IrcParser.standard().parse(l).paramCount();
            assertThat(params).isLessThanOrEqualTo(15);
            args += params - 2;
        }
        assertThat(args).isEqualTo(14); // each +k takes the next argument, each -k eats one too: 7 set, 7 removed ("*")
        assertThat(take(alice)).isEqualTo(seen);
    }

    @Test
    void aKeyOrMaskStartingWithAColonIsRefused() throws Exception {
        // "+k-k ::x" used to set the key ":x" and then announce it in the middle of the MODE line
        Embedded.Conn alice = registered("alice");
        alice.send("JOIN #a");
        take(alice);
        alice.send("MODE #a +k-k ::x\r\nMODE #a +k key\r\nMODE #a +b-k ::x\r\nMODE #a\r\nMODE #a b");
        assertThat(take(alice)).containsExactly(
                ":alice!~alice@127.0.0.1 MODE #a +k key",
                ":alice!~alice@127.0.0.1 MODE #a -k *",
                ":irc.test 324 alice #a :+nt",
                ":irc.test 329 alice #a :" + server.hub().findChannel("#a").createdAtMillis() / 1000,
                ":irc.test 368 alice #a :End of channel ban list");
    }

    @Test
    void aHugeCapVersionIsJustANewVersion() throws Exception {
        // found by review of the fuzz findings: "CAP LS 99999999999" overflowed Integer.parseInt
        Embedded.Conn w = server.connect();
        w.send("CAP LS 99999999999\r\nCAP LS 0000000000301");
        List<String> lines = take(w);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith(":irc.test CAP * LS "));
        assertThat(w.client().hasCap(Cap.CAP_NOTIFY)).isTrue();
    }
}
