package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client disconnected from another thread (console kick, KILL, SendQ overflow, ping timeout)
 * while its reader is still handling a command: the command may finish after the hub has
 * cleaned up after the client. Here the two steps run one after the other, in that order.
 */
class ClosingClientTest {
    private final Hub hub = new Hub(ServerFixture.config(EngineKind.VIRTUAL).build());

    @AfterEach
    void tearDown() {
        hub.close();
    }

    @Test
    void aJoinHandledAfterTheClientWasClosedLeavesNoChannelBehind() {
        Client alice = registered("alice");
        alice.quit("Killed");

        hub.join(alice, "#ghost", null);

        assertThat(hub.findChannel("#ghost")).as("a channel whose only member is gone").isNull();
        assertThat(alice.channels()).isEmpty();
    }

    @Test
    void aJoinToAnExistingChannelAfterTheClientWasClosedAddsNoGhostMember() {
        Client bob = registered("bob");
        hub.join(bob, "#room", null);
        Client alice = registered("alice");
        alice.quit("Killed");

        hub.join(alice, "#room", null);

        assertThat(hub.findChannel("#room").members()).containsExactly(bob);
    }

    @Test
    void aNickChangeHandledAfterTheClientWasClosedLeavesTheNickFree() {
        Client alice = registered("alice");
        alice.quit("Killed");

        hub.changeNick(alice, "alice2");

        assertThat(hub.findNick("alice2")).as("holder of a nick its owner no longer uses").isNull();
        assertThat(hub.findNick("alice")).isNull();
    }

    @Test
    void anInvitationForAClosedClientIsNotKept() {
        Client bob = registered("bob");
        hub.join(bob, "#room", null);
        Client alice = registered("alice");
        alice.quit("Killed");

        hub.invite(hub.findChannel("#room"), alice);

        assertThat(hub.invitesOf(alice)).isEmpty();
    }

    private Client registered(String nick) {
        Client c = hub.connect(new Transport() {
            @Override
            public InetAddress remoteAddress() {
                return InetAddress.getLoopbackAddress();
            }

            @Override
            public void abort() {
            }
        }, () -> { });
        hub.changeNick(c, nick);
        c.setUser("~" + nick, nick);
        c.markRegistered();
        return c;
    }
}
