package dev.parley.server.session;

import dev.parley.protocol.IrcParser;
import dev.parley.protocol.LineDecoder;
import java.util.ArrayDeque;

/**
 * Flood control and ordering for one session: a client's commands run at most at
 * {@code flood-rate} a second after a burst of {@code flood-burst} (trusted addresses and
 * operators are excused), and never while blocking work for an earlier command is pending.
 * Commands that must wait are held in order; past {@code recvq} bytes held, the client is
 * disconnected with {@code Excess Flood}. The lines of an open draft/multiline batch take no
 * token: the whole message costs what its opening line does (its size is bounded by the
 * batch limits).
 *
 * <p>Threading: reader only.
 */
final class FloodControl {
    private final Session session;
    private final TokenBucket bucket;
    private final boolean trusted;
    /** Frames waiting for a token or for pending blocking work; created on first use. */
    private ArrayDeque<LineDecoder.Frame> held;
    private int heldBytes;
    /** Of {@link #heldBytes}, those of lines tagged as part of a client batch. */
    private int heldBatchBytes;
    private boolean suspended;
    private boolean resumeScheduled;
    /** The peer has closed its side: quit with this once the held commands have run. */
    private String quitWhenDrained;
    /** Commands being handled on the stack right now (blocking work may end inside one). */
    private int handling;

    FloodControl(Session session, boolean trusted) {
        this.session = session;
        this.trusted = trusted;
        var cfg = session.hub().config();
        this.bucket = new TokenBucket(cfg.floodRate(), cfg.floodBurst(), System.nanoTime());
    }

    /** A frame arrived: handle it now or hold it. */
    void offer(LineDecoder.Frame frame) {
        if (suspended || (held != null && !held.isEmpty()) || !(session.inClientBatch(frame) || takeToken())) {
            hold(frame);
            return;
        }
        run(frame);
        if (!suspended && handling == 0 && held != null && !held.isEmpty()) {
            drainHeld();
        }
    }

    /** Handles one frame, counting it as on the stack. */
    private void run(LineDecoder.Frame frame) {
        handling++;
        try {
            session.handle(frame);
        } finally {
            handling--;
        }
    }

    /** True when the client may run a command now: a token, or excused (trusted address, operator). */
    private boolean takeToken() {
        return trusted || session.client().isOper() || bucket.tryTake(System.nanoTime());
    }

    private void hold(LineDecoder.Frame frame) {
        if (held == null) {
            held = new ArrayDeque<>();
        }
        held.add(frame);
        heldBytes += frameBytes(frame);
        heldBatchBytes += batchBytes(frame);
        var hub = session.hub();
        if (heldBytes - Math.min(heldBatchBytes, batchAllowance(hub.config())) > hub.config().recvQBytes()) {
            held.clear();
            heldBytes = 0;
            heldBatchBytes = 0;
            hub.stats().excessFlood();
            session.client().close("Excess Flood", true, false);
            return;
        }
        if (!suspended) {
            hub.stats().floodDelayed();
            scheduleResume();
        }
    }

    private void scheduleResume() {
        if (resumeScheduled) {
            return;
        }
        resumeScheduled = true;
        long delayMillis = Math.max(1, (bucket.nanosUntilToken(System.nanoTime()) + 999_999) / 1_000_000);
        session.transport().runOnReaderLater(() -> {
            resumeScheduled = false;
            drainHeld();
        }, delayMillis);
    }

    /** Handles held frames, in order, while nothing is pending and tokens allow. */
    private void drainHeld() {
        while (!suspended && !session.client().isClosing() && held != null && !held.isEmpty()) {
            if (!session.inClientBatch(held.peek()) && !takeToken()) {
                scheduleResume();
                return;
            }
            LineDecoder.Frame f = held.poll();
            heldBytes -= frameBytes(f);
            heldBatchBytes -= batchBytes(f);
            run(f);
        }
        if (quitWhenDrained != null && !suspended && (held == null || held.isEmpty())) {
            session.client().quit(quitWhenDrained);
        }
    }

    /** Blocking work began: later commands wait for it. */
    void suspend() {
        suspended = true;
    }

    /** Blocking work is done: held commands run. */
    void resume() {
        suspended = false;
        if (handling == 0) {
            drainHeld();
        }
        // else: the blocking work ended inside the command that started it (the blocking engines
        // run it in place); the held commands run after that command is done, never inside it,
        // so every reply of one command goes out before the next command's
    }

    /** See {@link Session#endOfInput}. */
    boolean endOfInput(String reason) {
        if (session.client().isClosing() || held == null || held.isEmpty()) {
            session.client().quit(reason);
            return true;
        }
        quitWhenDrained = reason;
        return false;
    }

    /**
     * Held bytes of client-batch lines that do not count toward the RecvQ: a draft/multiline
     * message sent all at once may wait whole behind a held line (its text, and per line room for
     * the command and target).
     */
    private static int batchAllowance(dev.parley.server.config.ServerConfig cfg) {
        return cfg.multilineMaxBytes() + cfg.multilineMaxLines() * 128;
    }

    /** The bytes of {@code f} when it is tagged as part of a client batch, else 0. */
    private static int batchBytes(LineDecoder.Frame f) {
        if (f instanceof LineDecoder.Frame.Line line && line.text().startsWith("@")) {
            String text = line.text();
            int space = text.indexOf(' ');
            String tags = space < 0 ? text : text.substring(0, space);
            if (tags.startsWith("@batch=") || tags.contains(";batch=")) {
                return frameBytes(f);
            }
        }
        return 0;
    }

    private static int frameBytes(LineDecoder.Frame f) {
        return switch (f) {
            case LineDecoder.Frame.Line line -> IrcParser.utf8Length(line.text()) + 2;
            case LineDecoder.Frame.Overlong o -> 2; // its bytes were dropped as they came: nothing is held
        };
    }
}
