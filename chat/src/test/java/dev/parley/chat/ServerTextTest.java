package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile server puts terminal escapes and other control characters into every field it
 * sends: nicks, channel names, user@host, topic setters, reasons, away texts, numerics. None
 * of them may reach the screen raw.
 */
class ServerTextTest {
    private static final String ESC = "\u001b";

    private final FakeServer server;
    private PlainSession chat;

    ServerTextTest() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (chat != null) {
            chat.close();
        }
        server.close();
    }

    /** True when {@code s} holds a C0 or C1 control character (ESC, BEL, CSI…). */
    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c < 0xa0));
    }

    @Test
    void controlCharactersInEveryServerFieldAreCleaned() throws Exception {
        chat = PlainSession.start(server.address(), "--nick", "alice", "--join", "#chan");
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :");
        server.expect("CAP END");
        server.welcome("alice");
        server.expect("JOIN #chan");
        server.send(
                ":alice!a@h JOIN #chan",
                ":fake 353 alice = #chan :@alice +b" + ESC + "[7mob carol",
                ":fake 366 alice #chan :End of /NAMES list.",
                // nick of a message, an action and a notice
                ":bob" + ESC + "[31m!b@h PRIVMSG #chan :hi",
                ":e" + ESC + "]0;pwned\u0007ve!e@h PRIVMSG alice :\u0001ACTION waves\u0001",
                ":n" + ESC + "[2Jo!n@h NOTICE #chan :psst",
                // channel names: where a message is, a channel the server says we joined
                ":bob!b@h PRIVMSG #ch" + ESC + "[2Jan :in a strange place",
                ":alice!a@h JOIN #ev" + ESC + "]0;t\u0007il",
                // topic setter, topic, user@host, reasons, away texts, modes, invites
                ":m" + ESC + "[1mal!m@h TOPIC #chan :t" + ESC + "[2Jopic",
                ":fake 332 alice #c" + ESC + "[Jhan :old" + ESC + "[J topic",
                ":fake 311 alice bob b" + ESC + "[2J h" + ESC + "[2Jost * :real" + ESC + "[2J name",
                ":op!o@h KICK #chan b" + ESC + "[Job :re" + ESC + "[2Json",
                ":carol!c@h QUIT :bye" + ESC + "[2J",
                ":dave!d@h PART #chan :par" + ESC + "[Jt",
                ":bob!b@h AWAY :lun" + ESC + "[2Jch",
                ":fake 301 alice bob :aw" + ESC + "[Jay",
                ":bob!b@h NICK b" + ESC + "[2Job2",
                ":op!o@h MODE #chan +o b" + ESC + "[Jx",
                ":op!o@h INVITE alice #in" + ESC + "[Jv",
                ":x" + ESC + "[1m!x@h PRIVMSG alice :\u0001VERSION\u0001",
                ":fake 372 alice :- motd" + ESC + "[2J",
                ":fake 401 alice n" + ESC + "[2Jick :No such nick",
                ":fake FOO b" + ESC + "[2Jar",
                ":fake NOTICE alice :end of script");
        chat.expect("-fake- end of script");

        List<String> out = chat.output();
        assertThat(out).as("output lines with control characters").noneMatch(ServerTextTest::hasControl);
        assertThat(out).contains(
                "[#chan] <bob[31m> hi",
                "[PM] * e]0;pwnedve waves",
                "[#chan] -n[2Jo- psst",
                "[#ch[2Jan] <bob> in a strange place",
                "* alice joined #ev]0;til",
                "* m[1mal changed the topic of #chan to: t[2Jopic",
                "- bob is b[2J@h[2Jost (real[2J name)",
                "* b[Job was kicked from #chan by op (re[2Json)",
                "* carol quit (bye[2J) from #chan");
    }

    @Test
    void thePromptShowsATargetFromTheServerCleaned() {
        ChatState s = new ChatState("alice");
        s.joined("#ev" + ESC + "]0;t\u0007il");
        assertThat(TerminalUi.promptText(s, true)).isEqualTo("#ev]0;til> ");
        assertThat(TerminalUi.promptText(s, false)).isEqualTo("(offline) #ev]0;til> ");
    }

    @Test
    void namesWithControlCharactersAreNotOfferedForCompletion() {
        List<String> words = List.of("bob", "e" + ESC + "[31mve", "#chan", "#b" + ESC + "]0;x\u0007ad");
        List<Candidate> candidates = new java.util.ArrayList<>();
        new ChatCompleter(() -> words).complete(null, new DefaultParser().parse("hello ", 6), candidates);
        assertThat(candidates).extracting(Candidate::value).containsExactly("bob", "#chan");
    }
}
