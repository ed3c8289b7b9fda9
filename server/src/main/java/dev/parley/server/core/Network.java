package dev.parley.server.core;

import java.util.Set;

/**
 * The other nodes of a cluster, as the hub sees them: where its changes are agreed and where
 * messages for their users go. Absent ({@link Hub#network()} null) on a single server.
 *
 * <p>Every node applies every {@link Change} in one order the network agreed on, so each
 * holds the same state; each node tells only its own clients what they must hear of it. A
 * node's own change is applied when its turn comes, on every node alike, and
 * {@link #submit} returns what it did here.
 */
public interface Network {
    /**
     * Publishes {@code change} and waits until it has been applied here in the network's order;
     * returns its result. Called from a client's thread with no lock held. On the thread that
     * applies the network's changes, or under the hub lock, it only publishes and returns the
     * change's "nothing happened" value (a change made while another is applied, such as the
     * Quit of a client whose queue overflowed).
     *
     * @throws NetworkUnavailableException when the network does not answer in time
     */
    <R> R submit(Change<R> change);

    /**
     * Relays a channel message to the nodes {@code nodes} (each holds members of the channel);
     * each delivers it to its own members as this node did to its own: all of them, or with
     * {@code status} "@" or "+" only those, and a TAGMSG only to those that negotiated
     * message-tags.
     */
    void relayToChannel(Set<String> nodes, String channel, String status, boolean tagmsg, Outgoing message);

    /** Relays a private message to the node that holds {@code to}. */
    void relayToClient(Client to, boolean tagmsg, Outgoing message);

    /** The last change of the network applied here (its place in the network's order). */
    long appliedSequence();

    /** Whether this node serves: in contact with the network and not cut off. */
    boolean isServing();

    /** Messages from other nodes held until this node has applied the changes they follow. */
    int heldMessages();

    /** The server name of the node that holds {@code c} (WHOIS 312); its node name when unknown. */
    String serverOf(Client c);

    /** Nodes whose lease this node sees, itself included. */
    int nodesSeen();

    /** This node's name and epoch ({@code name/epoch}), as in {@link Client#node()} of its clients elsewhere. */
    String self();

    /** Thrown when a change cannot be agreed because the network does not answer. */
    final class NetworkUnavailableException extends RuntimeException {
        public NetworkUnavailableException(String message) {
            super(message);
        }
    }
}
