package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcParser;
import dev.parley.server.store.SqlStore;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    private Hub hub;
    private final List<Wire> wires = new ArrayList<>();

    /** One client and every line queued for it. */
    private final class Wire {
        final Client client;
        final List<String> lines = new ArrayList<>();

        Wire(int n) throws Exception {
            InetAddress address = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) n});
            Client[] self = new Client[1];
            self[0] = hub.connect(new Transport() {
                @Override
                public InetAddress remoteAddress() {
                    return address;
                }

                @Override
                public void abort() {
                }
            }, () -> take(self[0]));
            client = self[0];
        }

        private void take(Client c) {
            ByteBuffer out = ByteBuffer.allocate((int) Math.max(1, c.sendQ().queuedBytes()));
            int n = c.sendQ().drainTo(out);
            String text = new String(out.array(), 0, n, StandardCharsets.UTF_8);
            assertThat(text).endsWith("\r\n");
            String line = text.substring(0, text.length() - 2);
            assertThat(line).doesNotContain("\r", "\n", "\0");
            lines.add(line);
        }

        void send(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            client.onBytes(b, 0, b.length);
        }

        /** Lines received since the last call. */
        List<String> take() {
            List<String> got = List.copyOf(lines);
            lines.clear();
            for (String l : got) {
                try {
                    IrcParser.standard().parse(l);
                } catch (Exception e) {
                    throw new AssertionError("does not parse: " + l, e);
                }
                assertThat(l).as("internal error").doesNotContain(" 400 ");
            }
            return got;
        }
    }

    @BeforeEach
    void start() throws Exception {
        hub = new Hub(ServerFixture.config(EngineKind.VIRTUAL).build());
        hub.attachStore(SqlStore.openInMemory());
    }

    @AfterEach
    void stop() {
        hub.disconnectAll("test over");
        hub.closeStore();
        hub.close();
    }

    private Wire registered(String nick) throws Exception {
        Wire w = new Wire(wires.size() + 1);
        wires.add(w);
        w.send("NICK " + nick + "\r\nUSER " + nick + " 0 * :" + nick + "\r\n");
        w.take();
        return w;
    }

    @Test
    void anEmptyOrSpacedWhoMaskIsEchoedAsAStar() throws Exception {
        // found by fuzzing (ServerFuzzTestInputs/clientsTalkToAHub/crash-7f25c98f…): "WHO :" made the
        // end-of-list numeric carry an empty middle parameter, which IrcMessage refuses: ERR_UNKNOWNERROR
        Wire carol = registered("carol");
        carol.send("WHO :\r\nWHO :a b\r\nWHO ::x\r\n");
        assertThat(carol.take()).containsExactly(
                ":irc.test 315 carol * :End of WHO list",
                ":irc.test 315 carol * :End of WHO list",
                ":irc.test 315 carol * :End of WHO list");
    }

    @Test
    void otherEchoedTrailingParametersDoNotBreakReplies() throws Exception {
        Wire carol = registered("carol");
        carol.send("WHOIS :no one\r\nCAP :a b\r\nTOPIC :#no such\r\n");
        assertThat(carol.take()).contains(
                ":irc.test 401 carol * :No such nick/channel",
                ":irc.test 410 carol * :Invalid CAP command");
    }

    @Test
    void aModeLineCarriesAtMostFifteenParameters() throws Exception {
        // a MODE line with more than 15 parameters is read back with the 16th glued to the 15th;
        // IrcMessage now refuses such a message, so MODE splits its announcement instead
        Wire alice = registered("alice");
        Wire bob = registered("bob");
        alice.send("JOIN #a\r\n");
        bob.send("JOIN #a\r\n");
        alice.take();
        bob.take();
        StringBuilder cmd = new StringBuilder("MODE #a ");
        for (int i = 0; i < 13; i++) {
            cmd.append("+k-k");
        }
        for (int i = 0; i < 13; i++) {
            cmd.append(" k").append(i);
        }
        alice.send(cmd.append("\r\n").toString());
        List<String> seen = bob.take();
        assertThat(seen).hasSizeGreaterThan(1).allSatisfy(l -> assertThat(l).startsWith(":alice!~alice@127.0.0.1 MODE #a "));
        int args = 0;
        for (String l : seen) {
            int params = IrcParser.standard().parse(l).paramCount();
            assertThat(params).isLessThanOrEqualTo(15);
            args += params - 2;
        }
        assertThat(args).isEqualTo(14); // each +k takes the next argument, each -k eats one too: 7 set, 7 removed ("*")
        assertThat(alice.take()).isEqualTo(seen);
    }

    @Test
    void aKeyOrMaskStartingWithAColonIsRefused() throws Exception {
        // "+k-k ::x" used to set the key ":x" and then announce it in the middle of the MODE line
        Wire alice = registered("alice");
        alice.send("JOIN #a\r\n");
        alice.take();
        alice.send("MODE #a +k-k ::x\r\nMODE #a +k key\r\nMODE #a +b-k ::x\r\nMODE #a\r\nMODE #a b\r\n");
        assertThat(alice.take()).containsExactly(
                ":alice!~alice@127.0.0.1 MODE #a +k key",
                ":alice!~alice@127.0.0.1 MODE #a -k *",
                ":irc.test 324 alice #a :+nt",
                ":irc.test 329 alice #a :" + hub.findChannel("#a").createdAtMillis() / 1000,
                ":irc.test 368 alice #a :End of channel ban list");
    }

    @Test
    void aHugeCapVersionIsJustANewVersion() throws Exception {
        // found by review of the fuzz findings: "CAP LS 99999999999" overflowed Integer.parseInt
        Wire w = new Wire(9);
        wires.add(w);
        w.send("CAP LS 99999999999\r\nCAP LS 0000000000301\r\n");
        List<String> lines = w.take();
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith(":irc.test CAP * LS "));
        assertThat(w.client.hasCap(Cap.CAP_NOTIFY)).isTrue();
    }
}
