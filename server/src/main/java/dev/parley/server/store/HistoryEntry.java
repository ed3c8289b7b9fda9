package dev.parley.server.store;

/**
 * One stored message. {@code seq} orders a target's history; {@code target} is the case-folded
 * channel name or a private conversation key; {@code recipient} is the target as it was sent.
 */
public record HistoryEntry(long seq, String target, String msgid, long sentAtMillis, String sender, String account,
                           String command, String recipient, String body) {
}
