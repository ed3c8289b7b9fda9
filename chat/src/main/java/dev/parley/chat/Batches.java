package dev.parley.chat;

import dev.parley.protocol.IrcMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * IRCv3 batches: remembers which open batch references are replayed history
 * ({@code chathistory}, {@code draft/chathistory}, {@code znc.in/playback}) so their lines are
 * shown as history, framed by a header and a footer. Runs on the chat loop thread.
 */
final class Batches {
    /** An open history batch: where it replays, and how many lines it has shown. */
    private static final class Replay {
        final String target;
        int lines;

        Replay(String target) {
            this.target = target;
        }
    }

    private final Map<String, Replay> history = new HashMap<>();

    // BATCH +<ref> <type> [params…]   /   BATCH -<ref>
    void batch(ChatClient c, IrcMessage m) {
        String ref = m.param(0);
        if (ref == null || ref.length() < 2) {
            return;
        }
        String id = ref.substring(1);
        if (ref.charAt(0) == '+') {
            String type = m.param(1) == null ? "" : m.param(1);
            if (type.equals("chathistory") || type.equals("draft/chathistory") || type.equals("znc.in/playback")) {
                String target = m.param(2) == null ? "" : m.param(2);
                history.put(id, new Replay(target));
                c.show(Shown.status(ServerMessages.time(c, m), "history of " + (target.isEmpty() ? "this server" : target) + " follows"));
            }
        } else if (ref.charAt(0) == '-') {
            Replay r = history.remove(id);
            if (r != null) {
                c.show(Shown.status(c.now(), "end of history" + (r.target.isEmpty() ? "" : " of " + r.target)
                        + " (" + r.lines + (r.lines == 1 ? " line)" : " lines)")));
            }
        }
    }

    /** True when {@code ref} is an open history batch; counts the line it is asked about. */
    boolean isHistory(String ref) {
        Replay r = history.get(ref);
        if (r != null) {
            r.lines++;
        }
        return r != null;
    }
}
