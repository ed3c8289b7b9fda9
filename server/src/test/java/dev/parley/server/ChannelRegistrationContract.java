package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Channel registration with ChanServ: who may register, ops and voice from the access list on
 * JOIN, refusals, what a registered channel keeps while empty and across a restart, DROP, and
 * the history a registered channel keeps.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class ChannelRegistrationContract extends EngineTestBase {

    @TempDir
    Path dataDir;

    ChannelRegistrationContract(EngineKind engine) {
        super(engine);
    }

    private static boolean fromChanServ(IrcMessage m) {
        return m.source() != null && m.source().startsWith("ChanServ!");
    }

    /** Sends {@code request} to ChanServ and returns the text of its next NOTICE. */
    private static String cs(TestClient c, String request) {
        c.send("PRIVMSG ChanServ :" + request);
        return c.expect(m -> m.command().equals("NOTICE") && fromChanServ(m)).last();
    }

    /** Sends {@code request} to ChanServ and returns the texts of every NOTICE it answers with. */
    private static List<String> csAll(TestClient c, String request) {
        c.send("PRIVMSG ChanServ :" + request);
        return c.sync().stream().filter(m -> m.command().equals("NOTICE") && fromChanServ(m)).map(IrcMessage::last)
                .toList();
    }

    /** The configuration of these tests: every test client registers accounts from the same address. */
    private ServerConfig.Builder base() {
        return config().accountsPerAddress(100);
    }

    /** A registered client logged in to a new account of its nick. */
    private TestClient account(ParleyServer s, String nick) throws IOException {
        TestClient c = fx.register(s, nick);
        c.send("PRIVMSG NickServ :REGISTER " + nick + "-password");
        c.expect("900");
        return c;
    }

    /** Joins {@code channel} and returns every line up to its end of NAMES. */
    private static List<IrcMessage> join(TestClient c, String channel) {
        c.send("JOIN " + channel);
        List<IrcMessage> seen = new ArrayList<>();
        c.expect(m -> {
            seen.add(m);
            return is(m, "366", null, channel);
        });
        c.skipped().removeAll(seen);
        return seen;
    }

    private static String names(List<IrcMessage> burst) {
        return burst.stream().filter(m -> m.command().equals("353")).map(IrcMessage::last).findFirst().orElse("");
    }

    /** alice founds #room and leaves it empty. */
    private TestClient foundAndLeave(ParleyServer s) throws IOException {
        TestClient alice = account(s, "alice");
        join(alice, "#room");
        assertThat(cs(alice, "REGISTER #room")).contains("registered to your account alice");
        alice.send("PART #room");
        alice.expect("PART");
        return alice;
    }

    @Test
    void registeringNeedsAnAccountAndChannelOperatorStatus() throws IOException {
        ParleyServer s = start(base());
        TestClient alice = fx.register(s, "alice");
        join(alice, "#room");
        assertThat(cs(alice, "REGISTER #room")).contains("must be logged in");
        alice.send("PRIVMSG NickServ :REGISTER alice-password");
        alice.expect("900");

        TestClient bob = account(s, "bob");
        join(bob, "#room");
        assertThat(cs(bob, "REGISTER #room")).contains("must be a channel operator of #room");
        assertThat(cs(bob, "REGISTER #elsewhere")).contains("must be in #elsewhere");

        assertThat(cs(alice, "REGISTER #room")).isEqualTo("Channel #room is now registered to your account alice."
                + " It keeps its modes, topic, lists and history while empty; you get +o when you join.");
        assertThat(csAll(bob, "INFO #ROOM")).satisfiesExactly(
                l -> assertThat(l).startsWith("Channel #room is registered to alice since "),
                l -> assertThat(l).isEqualTo("Access list: 0 accounts."));
        alice.send("MODE #room +o bob");
        bob.expect("MODE");
        assertThat(cs(bob, "REGISTER #room")).isEqualTo("#room is already registered.");
        bob.send("CS INFO #nowhere");
        assertThat(bob.expect(m -> m.command().equals("NOTICE") && fromChanServ(m)).last())
                .isEqualTo("#nowhere is not registered.");
    }

    @Test
    void theFounderGetsOpsFromChanServAfterJoiningAndNobodyElseDoes() throws IOException {
        ParleyServer s = start(base());
        TestClient alice = foundAndLeave(s);
        TestClient bob = account(s, "bob");
        List<IrcMessage> first = join(bob, "#room");
        assertThat(names(first)).as("the first to come back is no founder: no ops").isEqualTo("bob");
        assertThat(first).noneMatch(m -> m.command().equals("MODE"));

        List<IrcMessage> burst = join(alice, "#room");
        int joinAt = indexOf(burst, "JOIN");
        int modeAt = indexOf(burst, "MODE");
        assertThat(joinAt).isGreaterThanOrEqualTo(0);
        assertThat(modeAt).as("ChanServ's MODE comes after the JOIN").isGreaterThan(joinAt);
        IrcMessage mode = burst.get(modeAt);
        assertThat(mode.source()).isEqualTo("ChanServ!ChanServ@services.irc.test");
        assertThat(mode.params()).containsExactly("#room", "+o", "alice");
        assertThat(names(burst)).contains("@alice");

        IrcMessage seenByBob = bob.expect(m -> m.command().equals("MODE"));
        assertThat(seenByBob.params()).containsExactly("#room", "+o", "alice");
        assertThat(bob.skipped()).anyMatch(m -> m.command().equals("JOIN") && m.source().startsWith("alice!"));
    }

    @Test
    void loggingInInsideTheChannelGivesTheAccessToo() throws IOException {
        ParleyServer s = start(base());
        TestClient alice = foundAndLeave(s);
        alice.send("QUIT :back later");
        alice.expectClosed();
        TestClient witness = fx.register(s, "witness");
        join(witness, "#room");
        TestClient back = fx.register(s, "alice");
        assertThat(names(join(back, "#room"))).isEqualTo("witness alice");
        back.send("PRIVMSG NickServ :IDENTIFY alice-password");
        back.expect("900");
        IrcMessage mode = witness.expect("MODE");
        assertThat(mode.source()).startsWith("ChanServ!");
        assertThat(mode.params()).containsExactly("#room", "+o", "alice");
    }

    private static int indexOf(List<IrcMessage> lines, String command) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).command().equals(command)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theAccessListGivesVoiceAndOpsOnJoinUntilRemoved() throws IOException {
        ParleyServer s = start(base());
        TestClient alice = foundAndLeave(s);
        TestClient bob = account(s, "bob");
        TestClient carol = account(s, "carol");
        assertThat(cs(alice, "ACCESS #room ADD bob voice")).isEqualTo("bob added to the access list of #room as voice.");
        assertThat(cs(alice, "ACCESS #room ADD Carol op")).isEqualTo("Carol added to the access list of #room as op.");
        assertThat(cs(alice, "ACCESS #room ADD nobody op")).isEqualTo("nobody is not a registered account.");
        assertThat(cs(alice, "ACCESS #room ADD bob sometimes")).isEqualTo("The access level must be op or voice.");

        alice.send("PRIVMSG ChanServ :ACCESS #room LIST");
        List<String> list = new ArrayList<>();
        alice.expect(m -> {
            if (m.command().equals("NOTICE") && fromChanServ(m)) {
                list.add(m.last());
            }
            return m.last() != null && m.last().startsWith("End of list");
        });
        assertThat(list).first().isEqualTo("Access list of #room:");
        assertThat(list).anyMatch(l -> l.equals("alice founder"))
                .anyMatch(l -> l.startsWith("bob voice (added by alice"))
                .anyMatch(l -> l.startsWith("carol op (added by alice"));
        assertThat(list).last().isEqualTo("End of list (2 accounts and the founder).");

        TestClient dave = account(s, "dave");
        assertThat(names(join(dave, "#room"))).isEqualTo("dave");
        join(bob, "#room");
        assertThat(dave.expect("MODE").params()).containsExactly("#room", "+v", "bob");
        join(carol, "#room");
        assertThat(dave.expect("MODE").params()).containsExactly("#room", "+o", "carol");

        assertThat(cs(alice, "ACCESS #room DEL bob")).isEqualTo("bob removed from the access list of #room.");
        bob.send("PART #room");
        bob.expect("PART");
        List<IrcMessage> again = join(bob, "#room");
        assertThat(again).noneMatch(m -> m.command().equals("MODE"));
        assertThat(names(again)).contains(" bob").doesNotContain("+bob");
    }

    @Test
    void whoeverLacksTheAccessIsRefusedWithAClearNotice() throws IOException {
        ParleyServer s = start(base());
        TestClient alice = foundAndLeave(s);
        TestClient bob = account(s, "bob");
        TestClient guest = fx.register(s, "guest");
        join(bob, "#room");
        join(guest, "#room");

        assertThat(cs(bob, "DROP #room")).isEqualTo("Only the founder of #room may drop it.");
        assertThat(cs(bob, "ACCESS #room ADD bob op")).isEqualTo("You have no access to #room.");
        assertThat(cs(bob, "ACCESS #room LIST")).isEqualTo("You have no access to #room.");
        assertThat(cs(bob, "OP #room")).isEqualTo("You have no access to #room.");
        assertThat(cs(guest, "VOICE #room guest")).isEqualTo("You have no access to #room.");

        assertThat(cs(alice, "ACCESS #room ADD bob voice")).contains("added");
        assertThat(cs(bob, "ACCESS #room ADD guest voice")).isEqualTo("You may not change that entry of #room's access list.");
        assertThat(cs(bob, "OP #room")).isEqualTo("Your access to #room does not allow that.");
        bob.send("PRIVMSG ChanServ :VOICE #room");
        IrcMessage voiced = bob.expect("MODE");
        assertThat(voiced.source()).startsWith("ChanServ!");
        assertThat(voiced.params()).containsExactly("#room", "+v", "bob");
        assertThat(guest.sync()).noneMatch(m -> m.command().equals("MODE") && m.params().contains("+o"));
    }

    @Test
    void topicModesAndListsComeBackWhenTheChannelIsRecreated() throws IOException {
        ParleyServer s = start(base());
        TestClient alice = account(s, "alice");
        join(alice, "#room");
        assertThat(cs(alice, "REGISTER #room")).contains("now registered");
        alice.send("TOPIC #room :Welcome to the room");
        alice.expect("TOPIC");
        alice.send("MODE #room +ml 10");
        alice.expect("MODE");
        alice.send("MODE #room +b mallory!*@*");
        alice.expect("MODE");
        alice.send("MODE #room +I friend!*@*");
        alice.expect("MODE");
        alice.send("PART #room");
        alice.expect("PART");

        TestClient bob = fx.register(s, "bob");
        List<IrcMessage> burst = join(bob, "#room");
        assertThat(burst).anyMatch(m -> is(m, "332", "bob", "#room") && m.last().equals("Welcome to the room"));
        assertThat(burst).anyMatch(m -> is(m, "333", "bob", "#room") && m.param(2).startsWith("alice!"));
        bob.send("MODE #room");
        assertThat(bob.expect("324").params()).containsExactly("bob", "#room", "+lmnt", "10");
        bob.send("MODE #room +b");
        assertThat(bob.expect("367").params()).startsWith("bob", "#room", "mallory!*@*");
        bob.send("MODE #room +I");
        assertThat(bob.expect("346").params()).startsWith("bob", "#room", "friend!*@*");

        TestClient mallory = fx.register(s, "mallory");
        mallory.send("JOIN #room");
        assertThat(mallory.expect("474").params()).contains("#room");

        TestClient plain = account(s, "plain");
        join(plain, "#plain");
        plain.send("TOPIC #plain :not kept");
        plain.expect("TOPIC");
        plain.send("PART #plain");
        plain.expect("PART");
        assertThat(join(plain, "#plain")).as("an unregistered channel keeps nothing")
                .noneMatch(m -> m.command().equals("332"));
    }

    @Test
    void aRegisteredChannelKeepsItsHistoryWhileEmptyUntilDropped() throws IOException {
        ParleyServer s = start(base().historyReplay(10));
        TestClient alice = account(s, "alice");
        join(alice, "#room");
        alice.send("PRIVMSG #room :said before the registration");
        assertThat(cs(alice, "REGISTER #room")).contains("now registered");
        alice.send("PRIVMSG #room :said after the registration");
        alice.send("PART #room");
        alice.expect("PART");

        TestClient bob = withCaps(s, "bob", "batch server-time message-tags draft/chathistory");
        bob.send("JOIN #room");
        bob.expect(m -> is(m, "366", null, "#room"));
        bob.send("CHATHISTORY LATEST #room * 10");
        List<String> read = new ArrayList<>();
        bob.expect(m -> {
            if (m.command().equals("PRIVMSG")) {
                read.add(m.last());
            }
            return m.command().equals("BATCH") && m.param(0).startsWith("-") && !read.isEmpty();
        });
        assertThat(read).contains("said before the registration", "said after the registration");

        TestClient outsider = fx.register(s, "outsider");
        outsider.send("CHATHISTORY LATEST #room * 10");
        assertThat(outsider.sync()).as("only members read it").noneMatch(m -> m.last() != null
                && m.last().contains("registration"));

        bob.send("PART #room");
        bob.expect("PART");
        String confirm = cs(alice, "DROP #room");
        String code = confirm.substring(confirm.lastIndexOf(' ') + 1);
        assertThat(confirm).contains("To go ahead, type: /msg ChanServ DROP #room " + code);
        assertThat(cs(alice, "DROP #room " + code)).isEqualTo("Channel #room has been dropped.");

        TestClient late = fx.register(s, "late");
        List<IrcMessage> burst = join(late, "#room");
        assertThat(late.sync()).as("history of a dropped, empty channel is gone")
                .noneMatch(m -> m.last() != null && m.last().contains("registration"));
        assertThat(burst).noneMatch(m -> m.last() != null && m.last().contains("registration"));
    }

    @Test
    void dropAsksForAConfirmationAndThenTheChannelIsOrdinaryAgain() throws IOException {
        ParleyServer s = start(base());
        TestClient alice = foundAndLeave(s);
        String confirm = cs(alice, "DROP #room");
        assertThat(confirm).startsWith("Dropping #room deletes its registration");
        List<String> info = csAll(alice, "INFO #room");
        assertThat(info).as("nothing dropped yet").hasSize(3);
        assertThat(info.get(0)).startsWith("Channel #room is registered to alice");
        assertThat(info.subList(1, 3)).containsExactly("Your access: founder.",
                "Access list: 0 accounts. Kept modes: +nt; no topic.");
        assertThat(cs(alice, "DROP #room 00000000")).startsWith("That is not the confirmation code.");
        String code = confirm.substring(confirm.lastIndexOf(' ') + 1);
        assertThat(cs(alice, "DROP #room " + code)).isEqualTo("Channel #room has been dropped.");
        assertThat(cs(alice, "INFO #room")).isEqualTo("#room is not registered.");

        TestClient bob = fx.register(s, "bob");
        assertThat(names(join(bob, "#room"))).as("whoever creates it is its operator, as for any channel").isEqualTo("@bob");
        List<IrcMessage> burst = join(alice, "#room");
        assertThat(burst).noneMatch(m -> m.command().equals("MODE"));
    }

    @Test
    void droppingTheFoundersAccountDropsItsChannels() throws IOException {
        ParleyServer s = start(base());
        TestClient alice = foundAndLeave(s);
        alice.send("PRIVMSG NickServ :DROP alice-password");
        alice.expect(m -> m.command().equals("NOTICE") && m.last().equals(
                "Channel #room was registered to alice and has been dropped."));
        TestClient bob = account(s, "bob");
        assertThat(cs(bob, "INFO #room")).isEqualTo("#room is not registered.");
    }

    @Test
    void aSecretRegisteredChannelIsHiddenFromStrangers() throws IOException {
        ParleyServer s = start(base());
        TestClient alice = account(s, "alice");
        join(alice, "#hidden");
        alice.send("MODE #hidden +s");
        alice.expect("MODE");
        assertThat(cs(alice, "REGISTER #hidden")).contains("now registered");
        TestClient stranger = account(s, "stranger");
        assertThat(cs(stranger, "INFO #hidden")).isEqualTo("#hidden is not registered.");
        assertThat(cs(stranger, "DROP #hidden")).isEqualTo("#hidden is not registered.");
        join(stranger, "#hidden");
        assertThat(csAll(stranger, "INFO #hidden")).first().asString().startsWith("Channel #hidden is registered to alice");
    }

    @Test
    void chanServIsAServiceNickNobodyCanTake() throws IOException {
        ParleyServer s = start(base());
        TestClient c = fx.register(s, "someone");
        c.send("NICK ChanServ");
        assertThat(c.expect("433").params()).contains("ChanServ");
        c.send("CS HELP");
        assertThat(c.expect(m -> m.command().equals("NOTICE") && fromChanServ(m)).last()).startsWith("ChanServ keeps channels");
    }

    @Test
    void aRegistrationWithWhatItKeptAndItsHistorySurvivesARestart() throws Exception {
        ServerConfig.Builder onDisk = base().store(ServerConfig.StoreKind.SQLITE).dataDir(dataDir).historyReplay(10);
        ParleyServer first = start(onDisk);
        TestClient alice = account(first, "alice");
        TestClient bob = account(first, "bob");
        join(alice, "#room");
        assertThat(cs(alice, "REGISTER #room")).contains("now registered");
        assertThat(cs(alice, "ACCESS #room ADD bob voice")).contains("added");
        alice.send("TOPIC #room :Kept across restarts");
        alice.expect("TOPIC");
        alice.send("MODE #room +m-t");
        alice.expect("MODE");
        alice.send("MODE #room +b mallory!*@*");
        alice.expect("MODE");
        alice.send("PRIVMSG #room :a line worth keeping");
        alice.sync();
        join(alice, "#unregistered");
        alice.send("PRIVMSG #unregistered :a line not kept");
        alice.sync();
        first.shutdown("restart");

        ParleyServer second = start(onDisk);
        TestClient bob2 = fx.register(second, "bob");
        bob2.send("PRIVMSG NickServ :IDENTIFY bob-password");
        bob2.expect("900");
        List<IrcMessage> burst = join(bob2, "#room");
        assertThat(burst).anyMatch(m -> m.command().equals("MODE") && m.params().equals(List.of("#room", "+v", "bob")));
        assertThat(burst).anyMatch(m -> is(m, "332", "bob", "#room") && m.last().equals("Kept across restarts"));
        assertThat(bob2.expect(m -> m.command().equals("NOTICE") && m.last().endsWith("a line worth keeping")).last())
                .contains("<alice>");
        bob2.send("MODE #room");
        assertThat(bob2.expect("324").params()).containsExactly("bob", "#room", "+mn");
        bob2.send("MODE #room +b");
        assertThat(bob2.expect("367").params()).startsWith("bob", "#room", "mallory!*@*");

        TestClient alice2 = fx.register(second, "alice");
        alice2.send("PRIVMSG NickServ :IDENTIFY alice-password");
        alice2.expect("900");
        assertThat(join(alice2, "#room")).anyMatch(m -> m.command().equals("MODE")
                && m.params().equals(List.of("#room", "+o", "alice")));
        List<IrcMessage> plain = join(alice2, "#unregistered");
        assertThat(names(plain)).isEqualTo("@alice");
        assertThat(alice2.sync()).noneMatch(m -> m.last() != null && m.last().contains("a line not kept"));
    }
}
