package dev.parley.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.Embedded;
import dev.parley.server.core.Channel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Channel handlers driven directly, with no socket: each command's replies and what it changed. */
class ChannelHandlersTest {
    private final Embedded server = new Embedded();

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void aModeFromANonOperatorChangesNothingAndIsRefusedOnce() {
        Embedded.Conn op = server.register("op");
        Embedded.Conn user = server.register("user");
        op.send("JOIN #m");
        user.send("JOIN #m");
        op.take();
        user.take();

        user.send("MODE #m +imk-t+o secret user");

        assertThat(Embedded.commands(user.take())).containsExactly("482");
        assertThat(op.take()).isEmpty();
        Channel.View v = server.hub().findChannel("#m").view();
        assertThat(v.modes().describe(true)).containsExactly("+nt");
        assertThat(v.prefixes()).extracting(m -> m.prefix(true)).containsExactly("@", "");
    }

    @Test
    void anOperatorsModesAreAppliedTogetherAndAnnouncedOnce() {
        Embedded.Conn op = server.register("op");
        Embedded.Conn user = server.register("user");
        op.send("JOIN #m");
        user.send("JOIN #m");
        op.take();
        user.take();

        op.send("MODE #m +ikl-t+vb key 5 user bad!*@*");

        IrcMessage mode = user.expect("MODE");
        assertThat(mode.params()).containsExactly("#m", "+ikl-t+vb", "key", "5", "user", "bad!*@*");
        Channel.View v = server.hub().findChannel("#m").view();
        assertThat(v.modes().describe(true)).containsExactly("+ikln", "key", "5");
        assertThat(v.bans()).extracting(Channel.MaskEntry::mask).containsExactly("bad!*@*");
    }

    @Test
    void aTopicUnderPlusTNeedsAnOperatorAndIsCheckedWhenSet() {
        Embedded.Conn op = server.register("op");
        Embedded.Conn user = server.register("user");
        op.send("JOIN #t");
        user.send("JOIN #t");
        user.take();

        user.send("TOPIC #t :mine");
        assertThat(Embedded.commands(user.take())).containsExactly("482");
        assertThat(server.hub().findChannel("#t").topic()).isNull();

        op.send("MODE #t -t");
        user.take();
        user.send("TOPIC #t :mine");
        assertThat(user.expect("TOPIC").last()).isEqualTo("mine");
        assertThat(server.hub().findChannel("#t").topic().setBy()).startsWith("user!");
    }

    @Test
    void anInvitationLetsOnePastInviteOnlyOnceAndDiesWithTheChannel() {
        Embedded.Conn op = server.register("op");
        Embedded.Conn guest = server.register("guest");
        op.send("JOIN #i", "MODE #i +i", "INVITE guest #i");
        assertThat(guest.expect("INVITE").params()).containsExactly("guest", "#i");
        guest.send("INVITE");
        assertThat(guest.take()).extracting(IrcMessage::command).containsExactly("336", "337");

        guest.send("JOIN #i", "PART #i", "JOIN #i");
        assertThat(Embedded.commands(guest.take())).contains("JOIN", "PART", "473");

        op.send("INVITE guest #i", "PART #i", "JOIN #i", "MODE #i +i");
        guest.take();
        guest.send("JOIN #i");
        assertThat(Embedded.commands(guest.take())).as("invited to the channel that was emptied, not to this one")
                .containsExactly("473");
        guest.send("INVITE");
        assertThat(Embedded.commands(guest.take())).containsExactly("337");
    }

    @Test
    void onlyAnOperatorsInvitationLetsABannedUserIn() {
        Embedded.Conn op = server.register("op");
        Embedded.Conn friend = server.register("friend");
        Embedded.Conn banned = server.register("banned");
        op.send("JOIN #b", "MODE #b +b banned!*@*");
        friend.send("JOIN #b");
        friend.send("INVITE banned #b");
        assertThat(Embedded.commands(friend.take())).contains("341");
        banned.send("JOIN #b");
        assertThat(Embedded.commands(banned.take())).containsExactly("INVITE", "474");

        op.send("INVITE banned #b");
        banned.send("JOIN #b");
        assertThat(Embedded.commands(banned.take())).containsExactly("INVITE", "JOIN", "353", "366");
    }

    @Test
    void banListsHoldAtMostMaxListEntries() {
        try (Embedded small = new Embedded(dev.parley.server.ServerFixture.config(
                dev.parley.server.config.EngineKind.VIRTUAL).maxListEntries(2).build())) {
            Embedded.Conn op = small.register("op");
            assertThat(op.take()).isEmpty();
            op.send("JOIN #l", "MODE #l +bbb a!*@* b!*@* c!*@*");
            List<IrcMessage> replies = op.take();
            assertThat(replies).filteredOn(m -> m.command().equals("478")).singleElement()
                    .satisfies(m -> assertThat(m.params()).containsExactly("op", "#l", "b", "Channel list is full"));
            assertThat(small.hub().findChannel("#l").view().bans()).extracting(Channel.MaskEntry::mask)
                    .containsExactly("a!*@*", "b!*@*");
        }
    }

    @Test
    void aSecretChannelsModesAndListsAreForItsMembers() {
        Embedded.Conn op = server.register("op");
        Embedded.Conn outsider = server.register("outsider");
        op.send("JOIN #s", "MODE #s +s", "MODE #s +b x!*@*");
        outsider.send("MODE #s", "MODE #s +b", "MODE #s +I", "MODE #s +t");
        assertThat(outsider.take()).extracting(IrcMessage::command).containsExactly("403", "403", "403", "403");
        op.take();
        op.send("MODE #s");
        assertThat(op.take()).extracting(IrcMessage::command).containsExactly("324", "329");
    }

    @Test
    void kickNeedsAnOperatorAndTellsEveryMember() {
        Embedded.Conn op = server.register("op");
        Embedded.Conn a = server.register("a");
        Embedded.Conn b = server.register("b");
        op.send("JOIN #k");
        a.send("JOIN #k");
        b.send("JOIN #k");
        op.take();
        a.take();
        b.take();

        a.send("KICK #k b");
        assertThat(Embedded.commands(a.take())).containsExactly("482");

        op.send("KICK #k b :bye", "KICK #k nobody");
        assertThat(a.expect("KICK").params()).containsExactly("#k", "b", "bye");
        assertThat(b.expect("KICK").params()).containsExactly("#k", "b", "bye");
        assertThat(Embedded.commands(op.take())).containsExactly("KICK", "441");
        assertThat(server.hub().findChannel("#k").members()).containsExactly(op.client(), a.client());
    }

    @Test
    void chathistoryTargetsTakesTimestampsOnly() {
        Embedded.Conn c = server.register("c");
        c.send("CHATHISTORY TARGETS msgid=abc timestamp=2026-01-01T00:00:00.000Z 10");
        IrcMessage fail = c.expect("FAIL");
        assertThat(fail.params()).containsExactly("CHATHISTORY", "INVALID_PARAMS", "TARGETS",
                "Targets take timestamp= references");
    }
}
