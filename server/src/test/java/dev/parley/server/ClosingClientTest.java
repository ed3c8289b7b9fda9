package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.core.Change;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client disconnected from another thread (console kick, KILL, SendQ overflow, ping timeout)
 * while its reader is still handling a command: the command may finish after the hub has
 * cleaned up after the client. Here the two steps run one after the other, in that order.
 */
class ClosingClientTest {
    private final Embedded server = new Embedded();
    private final Hub hub = server.hub();

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void aJoinHandledAfterTheClientWasClosedLeavesNoChannelBehind() {
        Client alice = registered("alice");
        alice.quit("Killed");

        assertThat(hub.apply(new Change.Join(alice, "#ghost", null))).isInstanceOf(Change.Closing.class);

        assertThat(hub.findChannel("#ghost")).as("a channel whose only member is gone").isNull();
        assertThat(alice.channels()).isEmpty();
    }

    @Test
    void aJoinToAnExistingChannelAfterTheClientWasClosedAddsNoGhostMember() {
        Client bob = registered("bob");
        hub.apply(new Change.Join(bob, "#room", null));
        Client alice = registered("alice");
        alice.quit("Killed");

        hub.apply(new Change.Join(alice, "#room", null));

        assertThat(hub.findChannel("#room").members()).containsExactly(bob);
    }

    @Test
    void aNickChangeHandledAfterTheClientWasClosedLeavesTheNickFree() {
        Client alice = registered("alice");
        alice.quit("Killed");

        hub.apply(new Change.Nick(alice, "alice2"));

        assertThat(hub.findNick("alice2")).as("holder of a nick its owner no longer uses").isNull();
        assertThat(hub.findNick("alice")).isNull();
    }

    @Test
    void anInvitationForAClosedClientIsNotKept() {
        Client bob = registered("bob");
        hub.apply(new Change.Join(bob, "#room", null));
        Client alice = registered("alice");
        alice.quit("Killed");

        assertThat(hub.apply(new Change.Invite(bob, hub.findChannel("#room"), alice)))
                .isEqualTo(Change.InviteResult.GONE);

        assertThat(alice.invitations()).isEmpty();
    }

    private Client registered(String nick) {
        return server.register(nick).client();
    }
}
