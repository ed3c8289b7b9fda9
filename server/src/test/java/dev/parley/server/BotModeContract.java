package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** IRCv3 bot-mode: user mode +B, ISUPPORT BOT=B, the bot tag, the WHO flag and RPL_WHOISBOT (335). */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class BotModeContract extends EngineTestBase {
    BotModeContract(EngineKind engine) {
        super(engine);
    }


    /** A client that set +B on itself (the server's MODE reply consumed). */
    private TestClient bot(ParleyServer s, String nick) throws IOException {
        TestClient c = fx.register(s, nick);
        c.send("MODE " + nick + " +B");
        assertThat(c.expect("MODE").params()).containsExactly(nick, "+B");
        return c;
    }

    @Test
    void isupportNamesTheBotModeAndAUserSetsItOnItself() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("NICK robo");
        c.send("USER robo 0 * :R");
        List<String> tokens = new ArrayList<>();
        IrcMessage m;
        while (!(m = c.expect(x -> x.command().equals("005") || x.command().equals("251"))).command().equals("251")) {
            tokens.addAll(m.params().subList(1, m.paramCount() - 1));
        }
        assertThat(tokens).contains("BOT=B");
        c.expect(x -> x.command().equals("376") || x.command().equals("422"));
        c.send("MODE robo +B");
        assertThat(c.expect("MODE").params()).containsExactly("robo", "+B");
        c.send("MODE robo");
        assertThat(c.expect("221").param(1)).contains("B");
        TestClient other = fx.register(s, "other");
        other.send("MODE robo -B");
        other.expect("502");
        c.send("MODE robo -B");
        assertThat(c.expect("MODE").params()).containsExactly("robo", "-B");
    }

    @Test
    void aBotsMessagesCarryTheBotTagOnlyForMessageTagsClients() throws IOException {
        ParleyServer s = start();
        TestClient tagged = withCaps(s, "tagged", "message-tags");
        tagged.send("JOIN #bots");
        tagged.expect("366");
        TestClient plain = joined(s, "plain", "#bots");
        TestClient human = joined(s, "human", "#bots");
        TestClient robo = bot(s, "robo");
        robo.send("JOIN #bots");
        robo.expect("366");
        assertThat(tagged.expect(m -> is(m, "JOIN") && m.source().startsWith("robo!")).tags()).containsKey("bot");
        assertThat(plain.expect(m -> is(m, "JOIN") && m.source().startsWith("robo!")).tags()).isEmpty();

        robo.send("PRIVMSG #bots :beep");
        IrcMessage got = tagged.expect("PRIVMSG");
        assertThat(got.tags()).containsEntry("bot", "");
        assertThat(got.tags()).containsKey("msgid");
        assertThat(plain.expect("PRIVMSG").tags()).isEmpty();
        robo.send("NOTICE #bots :boop");
        assertThat(tagged.expect("NOTICE").tags()).containsKey("bot");
        assertThat(plain.expect("NOTICE").tags()).isEmpty();
        robo.send("@+typing=active TAGMSG #bots");
        assertThat(tagged.expect("TAGMSG").tags()).containsKey("bot").containsEntry("+typing", "active");
        robo.send("PRIVMSG tagged :direct");
        assertThat(tagged.expect("PRIVMSG").tags()).containsKey("bot");

        human.send("PRIVMSG #bots :hello");
        assertThat(tagged.expect("PRIVMSG").tags()).doesNotContainKey("bot");

        robo.send("MODE robo -B");
        robo.expect("MODE");
        robo.send("PRIVMSG #bots :human now");
        assertThat(tagged.expect("PRIVMSG").tags()).doesNotContainKey("bot");
    }

    @Test
    void historyRemembersThatABotSentAMessage() throws IOException {
        ParleyServer s = start(config().historyReplay(0));
        TestClient robo = bot(s, "robo");
        robo.send("JOIN #bots");
        robo.expect("366");
        robo.send("PRIVMSG #bots :beep");
        robo.send("MODE robo -B");
        robo.expect("MODE");
        robo.send("PRIVMSG #bots :human now");
        TestClient reader = withCaps(s, "reader", "batch server-time message-tags draft/chathistory");
        reader.send("JOIN #bots");
        reader.expect("366");
        reader.send("CHATHISTORY LATEST #bots * 10");
        reader.expect(m -> is(m, "BATCH") && m.param(0).startsWith("+"));
        IrcMessage beep = reader.expect("PRIVMSG");
        IrcMessage human = reader.expect("PRIVMSG");
        assertThat(beep.last()).isEqualTo("beep");
        assertThat(beep.tags()).containsEntry("bot", "");
        assertThat(human.last()).isEqualTo("human now");
        assertThat(human.tags()).doesNotContainKey("bot");
    }

    @Test
    void whoFlagsAndWhoxFlagsShowB() throws IOException {
        ParleyServer s = start();
        TestClient asker = joined(s, "asker", "#who");
        TestClient robo = bot(s, "robo");
        robo.send("JOIN #who");
        robo.expect("366");
        asker.send("WHO robo");
        IrcMessage reply = asker.expect("352");
        assertThat(reply.param(5)).isEqualTo("robo");
        assertThat(reply.param(6)).startsWith("H").contains("B");
        asker.expect("315");
        asker.send("WHO #who %nf");
        List<IrcMessage> whox = new ArrayList<>();
        IrcMessage m;
        while (!(m = asker.expect(x -> x.command().equals("354") || x.command().equals("315"))).command().equals("315")) {
            whox.add(m);
        }
        assertThat(whox).anySatisfy(x -> {
            assertThat(x.param(1)).isEqualTo("robo");
            assertThat(x.param(2)).contains("B");
        });
        assertThat(whox).anySatisfy(x -> {
            assertThat(x.param(1)).isEqualTo("asker");
            assertThat(x.param(2)).doesNotContain("B");
        });
    }

    @Test
    void whoisOfABotHas335AndOfAHumanNot() throws IOException {
        ParleyServer s = start();
        TestClient asker = fx.register(s, "asker");
        bot(s, "robo");
        asker.send("WHOIS robo");
        IrcMessage m = asker.expect(x -> x.command().equals("335") || x.command().equals("318"));
        assertThat(m.command()).isEqualTo("335");
        assertThat(m.params()).startsWith("asker", "robo");
        asker.expect("318");
        fx.register(s, "human");
        asker.send("WHOIS human");
        assertThat(asker.expect(x -> x.command().equals("335") || x.command().equals("318")).command()).isEqualTo("318");
    }
}
