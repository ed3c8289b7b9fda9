package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Channel operators, channel modes, bans, invites and kicks. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class ChannelModesContract extends EngineTestBase {
    ChannelModesContract(EngineKind engine) {
        super(engine);
    }

    @Test
    void newChannelHasDefaultModesAndItsCreatorIsOperator() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#m");
        alice.send("MODE #m");
        IrcMessage modes = alice.expect("324");
        assertThat(modes.params()).containsExactly("alice", "#m", "+nt");
        assertThat(alice.expect("329").param(1)).isEqualTo("#m");
        TestClient bob = joined(s, "bob", "#m");
        bob.send("NAMES #m");
        assertThat(bob.expect("353").last()).isEqualTo("@alice bob");
    }

    @Test
    void operatorGivesOpAndVoiceInOneModeLine() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#m");
        TestClient bob = joined(s, "bob", "#m");
        alice.send("MODE #m +ov bob bob");
        IrcMessage seen = bob.expect("MODE");
        assertThat(seen.source()).startsWith("alice!");
        assertThat(seen.params()).containsExactly("#m", "+ov", "bob", "bob");
        bob.send("NAMES #m");
        assertThat(bob.expect("353").last()).isEqualTo("@alice @bob");
        bob.send("CAP REQ multi-prefix");
        bob.expect("CAP");
        bob.send("NAMES #m");
        assertThat(bob.expect("353").last()).isEqualTo("@alice @+bob");
        alice.send("MODE #m -o+t bob");
        assertThat(bob.expect("MODE").params()).containsExactly("#m", "-o", "bob");
    }

    @Test
    void modeErrors() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#m");
        TestClient bob = joined(s, "bob", "#m");
        bob.send("MODE #m +o bob");
        assertThat(bob.expect("482").param(1)).isEqualTo("#m");
        alice.send("MODE #m +o ghost");
        assertThat(alice.expect("401").param(1)).isEqualTo("ghost");
        fx.register(s, "carol");
        alice.send("MODE #m +v carol");
        assertThat(alice.expect("441").params()).startsWith("alice", "carol", "#m");
        alice.send("MODE #m +Z");
        assertThat(alice.expect("472").param(1)).isEqualTo("Z");
        alice.send("MODE #nowhere +t");
        alice.expect("403");
    }

    @Test
    void keyedChannelNeedsTheKey() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#k");
        alice.send("MODE #k +k sesame");
        assertThat(alice.expect("MODE").params()).containsExactly("#k", "+k", "sesame");
        alice.send("MODE #k +k other");
        alice.expect("467");
        TestClient bob = fx.register(s, "bob");
        bob.send("JOIN #k");
        assertThat(bob.expect("475").param(1)).isEqualTo("#k");
        bob.send("JOIN #k wrong");
        bob.expect("475");
        bob.send("JOIN #a,#k x,sesame");
        bob.expect(m -> is(m, "JOIN", "#k"));
        bob.send("MODE #k");
        assertThat(bob.expect("324").params()).containsExactly("bob", "#k", "+knt", "sesame");
        TestClient carol = fx.register(s, "carol");
        carol.send("MODE #k");
        assertThat(carol.expect("324").params()).containsExactly("carol", "#k", "+knt", "*");
        alice.send("MODE #k -k *");
        alice.expect(m -> is(m, "MODE", "#k", "-k"));
        carol.send("JOIN #k");
        carol.expect(m -> is(m, "JOIN", "#k"));
    }

    @Test
    void limitedChannelTurnsAwayTheNextJoiner() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#l");
        alice.send("MODE #l +l 1");
        assertThat(alice.expect("MODE").params()).containsExactly("#l", "+l", "1");
        TestClient bob = fx.register(s, "bob");
        bob.send("JOIN #l");
        assertThat(bob.expect("471").param(1)).isEqualTo("#l");
        alice.send("MODE #l -l");
        alice.expect("MODE");
        bob.send("JOIN #l");
        bob.expect(m -> is(m, "JOIN", "#l"));
    }

    @Test
    void inviteOnlyChannelAdmitsTheInvitedAndExceptions() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#i");
        alice.send("MODE #i +i");
        alice.expect("MODE");
        TestClient bob = fx.register(s, "bob");
        bob.send("JOIN #i");
        assertThat(bob.expect("473").param(1)).isEqualTo("#i");
        alice.send("INVITE bob #i");
        assertThat(alice.expect("341").params()).containsExactly("alice", "bob", "#i");
        IrcMessage inv = bob.expect("INVITE");
        assertThat(inv.source()).startsWith("alice!");
        assertThat(inv.params()).containsExactly("bob", "#i");
        bob.send("INVITE");
        assertThat(bob.expect("336").param(1)).isEqualTo("#i");
        bob.expect("337");
        bob.send("JOIN #i");
        bob.expect(m -> is(m, "JOIN", "#i"));
        // a non-operator may not invite to a +i channel; nobody may invite someone already there
        TestClient carol = fx.register(s, "carol");
        bob.send("INVITE carol #i");
        bob.expect("482");
        alice.send("INVITE bob #i");
        assertThat(alice.expect("443").params()).startsWith("alice", "bob", "#i");
        carol.send("INVITE bob #i");
        carol.expect("442");
        // an invite exception (+I) admits by mask
        alice.send("MODE #i +I carol!*@*");
        alice.expect(m -> is(m, "MODE", "#i", "+I"));
        alice.send("MODE #i I");
        assertThat(alice.expect("346").param(2)).isEqualTo("carol!*@*");
        alice.expect("347");
        carol.send("JOIN #i");
        carol.expect(m -> is(m, "JOIN", "#i"));
    }

    @Test
    void bansKeepOutAndSilence() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#b");
        TestClient bob = joined(s, "bob", "#b");
        alice.send("MODE #b +b bob");
        assertThat(bob.expect("MODE").params()).containsExactly("#b", "+b", "bob!*@*");
        alice.send("MODE #b +b");
        IrcMessage ban = alice.expect("367");
        assertThat(ban.params()).startsWith("alice", "#b", "bob!*@*");
        assertThat(ban.param(3)).startsWith("alice!");
        alice.expect("368");
        bob.send("PRIVMSG #b :can you hear me?");
        assertThat(bob.expect("404").last()).contains("+b");
        bob.send("PART #b");
        bob.expect("PART");
        bob.send("JOIN #b");
        assertThat(bob.expect("474").param(1)).isEqualTo("#b");
        TestClient carol = fx.register(s, "carol");
        carol.send("JOIN #b");
        carol.expect(m -> is(m, "JOIN", "#b"));
        alice.send("MODE #b -b bob!*@*");
        alice.expect(m -> is(m, "MODE", "#b", "-b"));
        bob.send("JOIN #b");
        bob.expect(m -> is(m, "JOIN", "#b"));
    }

    @Test
    void moderatedChannelLetsOnlyVoicedAndOpsSpeak() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#mod");
        TestClient bob = joined(s, "bob", "#mod");
        alice.send("MODE #mod +m");
        bob.expect("MODE");
        bob.send("PRIVMSG #mod :hello?");
        assertThat(bob.expect("404").last()).contains("+m");
        alice.send("MODE #mod +v bob");
        bob.expect("MODE");
        bob.send("PRIVMSG #mod :now I can");
        assertThat(alice.expect("PRIVMSG").last()).isEqualTo("now I can");
    }

    @Test
    void noExternalMessagesCanBeLifted() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#n");
        TestClient outsider = fx.register(s, "outsider");
        outsider.send("PRIVMSG #n :knock knock");
        assertThat(outsider.expect("404").last()).contains("+n");
        alice.send("MODE #n -n");
        alice.expect("MODE");
        outsider.send("PRIVMSG #n :knock knock");
        assertThat(alice.expect("PRIVMSG").last()).isEqualTo("knock knock");
    }

    @Test
    void topicLockNeedsAnOperatorUntilLifted() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#t");
        TestClient bob = joined(s, "bob", "#t");
        bob.send("TOPIC #t :mine now");
        assertThat(bob.expect("482").param(1)).isEqualTo("#t");
        alice.send("MODE #t -t");
        bob.expect("MODE");
        bob.send("TOPIC #t :mine now");
        assertThat(alice.expect("TOPIC").last()).isEqualTo("mine now");
    }

    @Test
    void onlyAnOperatorsInvitationLetsABannedUserIn() throws IOException {
        ParleyServer s = start();
        TestClient op = joined(s, "op", "#bans");
        op.send("MODE #bans +b banned!*@*");
        op.expect("MODE");
        TestClient friend = joined(s, "friend", "#bans");
        TestClient banned = fx.register(s, "banned");
        friend.send("INVITE banned #bans");
        friend.expect("341");
        banned.expect("INVITE");
        banned.send("JOIN #bans");
        assertThat(banned.expect("474").param(1)).isEqualTo("#bans");

        op.send("INVITE banned #bans");
        banned.expect("INVITE");
        banned.send("JOIN #bans");
        banned.expect(m -> is(m, "366", null, "#bans"));
    }

    @Test
    void secretChannelIsHiddenFromOutsiders() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#hidden");
        alice.send("JOIN #open");
        alice.expect(m -> is(m, "366", null, "#open"));
        alice.send("MODE #hidden +s");
        alice.expect("MODE");
        TestClient bob = fx.register(s, "bob");
        bob.send("LIST");
        bob.expect("321");
        IrcMessage only = bob.expect("322");
        assertThat(only.param(1)).isEqualTo("#open");
        assertThat(bob.expect(m -> m.command().equals("322") || m.command().equals("323")).command()).isEqualTo("323");
        bob.send("WHOIS alice");
        assertThat(bob.expect("319").last()).isEqualTo("@#open");
        alice.send("LIST");
        alice.expect("321");
        assertThat(alice.expect("322").param(1)).isIn("#hidden", "#open");
        assertThat(alice.expect("322").param(1)).isIn("#hidden", "#open");
    }

    @Test
    void kickRemovesTheTargetAndEveryoneSeesIt() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#kick");
        TestClient bob = joined(s, "bob", "#kick");
        TestClient carol = joined(s, "carol", "#kick");
        bob.send("KICK #kick carol");
        assertThat(bob.expect("482").param(1)).isEqualTo("#kick");
        alice.send("KICK #kick ghost");
        assertThat(alice.expect("441").params()).startsWith("alice", "ghost", "#kick");
        alice.send("KICK #kick carol :be nice");
        for (TestClient c : new TestClient[] {alice, bob, carol}) {
            IrcMessage k = c.expect("KICK");
            assertThat(k.params()).containsExactly("#kick", "carol", "be nice");
            assertThat(k.source()).startsWith("alice!");
        }
        carol.send("PRIVMSG #kick :still here?");
        carol.expect("404");
        TestClient dave = fx.register(s, "dave");
        dave.send("KICK #kick bob");
        dave.expect("442");
    }
}
