package dev.parley.server;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.Numerics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected client: its identity, its channels, and its outgoing {@link SendQ}.
 *
 * <p>Threading: {@link #onBytes} and everything it calls (parsing, command handlers) run on
 * the connection's single reader, in order. {@link #send} and {@link #close} may be called
 * from any thread. Fields another thread may read are volatile; channel membership changes
 * only under the hub lock.
 */
public final class Client {
    private static final Logger LOG = LoggerFactory.getLogger("parley.clients");
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Hub hub;
    private final Transport transport;
    private final SendQ sendQ;
    private final LineDecoder decoder;
    private final IrcParser parser;
    /** Frames that arrived while blocking work was pending; reader only. */
    private java.util.ArrayDeque<LineDecoder.Frame> held;
    private boolean suspended;
    private volatile String host;
    private final long connectedAtMillis;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    /** Written under the hub lock; read anywhere. */
    final Set<Channel> channels = ConcurrentHashMap.newKeySet();

    private volatile String nick;
    private volatile String user;
    private volatile String realname;
    private volatile String prefix;
    private volatile boolean registered;
    private volatile long lastActivityMillis;
    private volatile long pingSentMillis;
    private volatile String quitReason;
    private volatile int caps;
    private volatile String away;
    private volatile String account;
    private volatile String operName;
    private volatile int userModes;
    private volatile long lastMessageMillis;
    /** Labeled-response capture: active only on the reader while it handles a labeled command. */
    private volatile Thread labelThread;
    private String label;
    private List<byte[]> captured;
    private final AtomicLong linesIn = new AtomicLong();
    /** Flood control, reader only: the client's own commands wait for tokens; held bytes count toward the RecvQ. */
    private final TokenBucket flood;
    private final boolean trustedAddress;
    private int heldBytes;
    private boolean resumeScheduled;
    /** The peer has closed its side: quit with this once the held commands have run. Reader only. */
    private String quitWhenDrained;

    /** Registration progress, touched only by the reader. */
    private boolean capNegotiating;
    private String password;
    private Sasl sasl;

    /** A SASL exchange in progress: the base64 received so far. Reader only. */
    record Sasl(StringBuilder data) {
    }

    Client(Hub hub, Transport transport, Runnable onOutputReady) {
        this.hub = hub;
        this.transport = transport;
        ServerConfig cfg = hub.config();
        this.sendQ = new SendQ(cfg.sendQBytes(), onOutputReady);
        this.decoder = new LineDecoder(cfg.maxTagBytes() + 1 + cfg.maxLineBytes());
        this.parser = hub.parser();
        this.host = transport.remoteAddress().getHostAddress();
        this.connectedAtMillis = hub.now();
        this.lastActivityMillis = connectedAtMillis;
        this.lastMessageMillis = connectedAtMillis;
        this.flood = new TokenBucket(cfg.floodRate(), cfg.floodBurst(), System.nanoTime());
        this.trustedAddress = hub.trusted().contains(transport.remoteAddress());
    }

    // ---- input (reader thread only) ----

    /** Feeds bytes read from the socket. Runs on the connection's reader. */
    public void onBytes(byte[] data, int off, int len) {
        decoder.feed(data, off, len, this::onFrame);
    }

    /** Feeds bytes read from the socket. Runs on the connection's reader. */
    public void onBytes(java.nio.ByteBuffer data) {
        decoder.feed(data, this::onFrame);
    }

    /** Bytes of an unfinished line held by the decoder. */
    public int pendingInputBytes() {
        return decoder.buffered();
    }

    private void onFrame(LineDecoder.Frame frame) {
        if (closing.get()) {
            return;
        }
        lastActivityMillis = hub.now(); // arriving counts, even when the command must wait
        pingSentMillis = 0;
        if (suspended || (held != null && !held.isEmpty()) || !takeToken()) {
            hold(frame);
            return;
        }
        handle(frame);
    }

    // ---- flood control (reader thread only) ----

    /** True when the client may run a command now: a token, or excused (trusted address, operator). */
    private boolean takeToken() {
        return trustedAddress || isOper() || flood.tryTake(System.nanoTime());
    }

    /**
     * Keeps {@code frame} for later, in order: behind pending blocking work, or until the flood
     * bucket has a token. Past {@code recvq} bytes held, the client is disconnected.
     */
    private void hold(LineDecoder.Frame frame) {
        if (held == null) {
            held = new java.util.ArrayDeque<>();
        }
        held.add(frame);
        heldBytes += frameBytes(frame);
        if (heldBytes > hub.config().recvQBytes()) {
            held.clear();
            heldBytes = 0;
            hub.stats().excessFlood();
            close("Excess Flood", true, false);
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
        long delayMillis = Math.max(1, (flood.nanosUntilToken(System.nanoTime()) + 999_999) / 1_000_000);
        transport.runOnReaderLater(() -> {
            resumeScheduled = false;
            drainHeld();
        }, delayMillis);
    }

    /** Handles held frames, in order, while nothing is pending and tokens allow. Reader only. */
    private void drainHeld() {
        while (!suspended && !closing.get() && held != null && !held.isEmpty()) {
            if (!takeToken()) {
                scheduleResume();
                return;
            }
            LineDecoder.Frame f = held.poll();
            heldBytes -= frameBytes(f);
            handle(f);
        }
        if (quitWhenDrained != null && !suspended && (held == null || held.isEmpty())) {
            quit(quitWhenDrained);
        }
    }

    /**
     * The peer closed its side of the connection. Commands that flood control is still holding
     * run first, at their pace (a script that pipes many lines and a QUIT loses none of them);
     * then the client quits with {@code reason}. Returns true when it quit at once. Reader only.
     */
    public boolean endOfInput(String reason) {
        if (closing.get() || held == null || held.isEmpty()) {
            quit(reason);
            return true;
        }
        quitWhenDrained = reason;
        return false;
    }

    private static int frameBytes(LineDecoder.Frame f) {
        return switch (f) {
            case LineDecoder.Frame.Line line -> IrcParser.utf8Length(line.text()) + 2;
            case LineDecoder.Frame.Overlong o -> 2; // its bytes were dropped as they came: nothing is held
        };
    }

    private void handle(LineDecoder.Frame frame) {
        switch (frame) {
            case LineDecoder.Frame.Line line -> onLine(line.text());
            case LineDecoder.Frame.Overlong o -> numeric(Numerics.ERR_INPUTTOOLONG, "Input line was too long");
        }
    }

    private void onLine(String line) {
        if (TrafficLog.enabled) {
            TrafficLog.received(this, line);
        }
        linesIn.incrementAndGet();
        hub.stats().linesIn.increment();
        IrcMessage msg;
        try {
            msg = parser.parse(line);
        } catch (IrcParseException e) {
            switch (e.reason()) {
                case TAGS_TOO_LONG, BODY_TOO_LONG -> numeric(Numerics.ERR_INPUTTOOLONG, "Input line was too long");
                case FORBIDDEN_CHARACTER -> serverMessage("FAIL", "*", "INVALID_CHARACTERS",
                        "Line ignored: it holds a NUL or a CR that does not end the line");
                case BAD_TAGS, BAD_SOURCE, BAD_COMMAND -> serverMessage("FAIL", "*", "INVALID_LINE",
                        "Line ignored: " + e.getMessage());
                case EMPTY -> {
                    // nothing to answer
                }
            }
            return;
        }
        String wantedLabel = hasCap(Cap.LABELED_RESPONSE) ? msg.tags().get("label") : null;
        if (wantedLabel != null && !wantedLabel.isEmpty()) {
            beginLabel(wantedLabel);
        }
        try {
            hub.commands().dispatch(this, msg);
        } catch (RuntimeException e) {
            LOG.error("command {} from {} failed", msg.command(), describe(), e);
            numeric(Numerics.ERR_UNKNOWNERROR, msg.command(), "Internal error handling this command");
        } finally {
            if (labelThread != null) {
                endLabel();
            }
        }
    }

    // ---- blocking work (reader thread only) ----

    /**
     * Runs blocking {@code work} off the reader, then {@code then} on the reader. Until then, this
     * client's further input waits, so commands still take effect in the order they were sent.
     */
    @SuppressWarnings("unchecked")
    public <T> void offload(java.util.function.Supplier<T> work, java.util.function.Consumer<T> then) {
        suspended = true;
        transport.pauseReading(true);
        Object[] result = new Object[1];
        RuntimeException[] failure = new RuntimeException[1];
        transport.offload(() -> {
            try {
                result[0] = work.get();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, () -> {
            try {
                if (failure[0] != null) {
                    LOG.error("blocking work for {} failed", describe(), failure[0]);
                    numeric(Numerics.ERR_UNKNOWNERROR, "*", "Internal error; please try again");
                } else {
                    then.accept((T) result[0]);
                }
            } finally {
                suspended = false;
                transport.pauseReading(false);
                drainHeld();
            }
        });
    }

    /** True while blocking work for this client is pending. */
    public boolean isSuspended() {
        return suspended;
    }

    // ---- labeled-response (reader thread only) ----

    private void beginLabel(String wantedLabel) {
        label = wantedLabel;
        captured = new ArrayList<>(4);
        labelThread = Thread.currentThread();
    }

    /** Sends what the labeled command produced: ACK, one labeled line, or a labeled batch. */
    private void endLabel() {
        labelThread = null;
        List<byte[]> lines = captured;
        String l = label;
        captured = null;
        label = null;
        if (lines.isEmpty()) {
            sendBytes(Outgoing.withTag(IrcFormatter.toBytes(IrcMessage.from(hub.serverName(), "ACK")), "label", l));
        } else if (lines.size() == 1) {
            sendBytes(Outgoing.withTag(lines.get(0), "label", l));
        } else if (hasCap(Cap.BATCH)) {
            String ref = hub.nextBatchId();
            sendBytes(Outgoing.withTag(IrcFormatter.toBytes(
                    IrcMessage.from(hub.serverName(), "BATCH", "+" + ref, "labeled-response")), "label", l));
            for (byte[] line : lines) {
                sendBytes(Outgoing.withTag(line, "batch", ref));
            }
            sendBytes(IrcFormatter.toBytes(IrcMessage.from(hub.serverName(), "BATCH", "-" + ref)));
        } else {
            lines.forEach(this::sendBytes);
        }
    }

    // ---- output (any thread) ----

    /** Queues {@code m} for this client. Never blocks. */
    public void send(IrcMessage m) {
        sendBytes(IrcFormatter.toBytes(m));
    }

    /** Queues an already formatted line (with CRLF). Never blocks. */
    public void sendBytes(byte[] line) {
        if (labelThread == Thread.currentThread() && captured != null) {
            captured.add(line);
            return;
        }
        switch (sendQ.offer(line)) {
            case QUEUED -> {
                hub.stats().linesOut.increment();
                if (TrafficLog.enabled) {
                    TrafficLog.sent(this, line);
                }
            }
            case CLOSED -> {
            }
            case OVERFLOW -> {
                if (overflowed.compareAndSet(false, true)) {
                    // the sender may be anyone's reader: do the slow part elsewhere
                    hub.defer(() -> close("SendQ exceeded", true, true));
                }
            }
        }
    }

    /**
     * Sends a numeric reply addressed to this client: {@code :server CODE nick params...}.
     * Replies often echo what the client sent; see {@link #fitMiddle}.
     */
    public void numeric(String code, String... params) {
        List<String> all = new ArrayList<>(params.length + 1);
        all.add(nickOrStar());
        all.addAll(List.of(params));
        send(IrcMessage.from(hub.serverName(), code, fitMiddle(all)));
    }

    /** Sends a relayed message with the tags this client negotiated. */
    public void send(Outgoing out) {
        sendBytes(out.bytesFor(this));
    }

    /** Sends a message from the server (parameters as in {@link #fitMiddle}). */
    public void serverMessage(String command, String... params) {
        send(IrcMessage.from(hub.serverName(), command, fitMiddle(List.of(params))));
    }

    /**
     * Echoed parameters: a client's last parameter may be empty, hold spaces or start with ':',
     * which no parameter but the last may on the wire. Such a value, when it is not last here,
     * becomes {@code *} so the reply can still be sent.
     */
    static List<String> fitMiddle(List<String> params) {
        List<String> out = null;
        for (int i = 0; i < params.size() - 1; i++) {
            String p = params.get(i);
            if (p.isEmpty() || p.indexOf(' ') >= 0 || p.charAt(0) == ':') {
                if (out == null) {
                    out = new ArrayList<>(params);
                }
                out.set(i, "*");
            }
        }
        return out == null ? params : out;
    }

    // ---- closing (any thread) ----

    /** Ends the session: peers see a QUIT with {@code reason}; the client gets ERROR, then the socket closes. */
    public void quit(String reason) {
        close(reason, true, false);
    }

    /**
     * @param announce      tell channel peers with a QUIT
     * @param discardQueued drop queued output and the socket at once (the client is not reading)
     */
    public void close(String reason, boolean announce, boolean discardQueued) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        quitReason = reason;
        hub.removeClient(this, announce ? reason : null);
        byte[] error = ("ERROR :Closing Link: " + host + " (" + reason + ")\r\n").getBytes(StandardCharsets.UTF_8);
        if (TrafficLog.enabled) {
            TrafficLog.sent(this, error);
        }
        sendQ.closeWith(error, discardQueued);
        if (discardQueued) {
            transport.abort();
        } else {
            hub.schedule(transport::abort, hub.config().shutdownGrace());
        }
        LOG.info("disconnected {} ({})", describe(), reason);
    }

    public boolean isClosing() {
        return closing.get();
    }

    // ---- identity ----

    public long id() {
        return id;
    }

    public Hub hub() {
        return hub;
    }

    public SendQ sendQ() {
        return sendQ;
    }

    public Transport transport() {
        return transport;
    }

    public String nick() {
        return nick;
    }

    /** The nick, or {@code *} before one is set (for numerics). */
    public String nickOrStar() {
        String n = nick;
        return n == null ? "*" : n;
    }

    public String user() {
        return user;
    }

    public String realname() {
        return realname;
    }

    public String host() {
        return host;
    }

    /** {@code nick!user@host}. */
    public String prefix() {
        return prefix;
    }

    public boolean isRegistered() {
        return registered;
    }

    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    public long lastActivityMillis() {
        return lastActivityMillis;
    }

    long pingSentMillis() {
        return pingSentMillis;
    }

    void markPingSent(long now) {
        pingSentMillis = now;
    }

    public String quitReason() {
        return quitReason;
    }

    public long linesIn() {
        return linesIn.get();
    }

    /** The channels this client is in (live view; changes under the hub lock). */
    public Set<Channel> channels() {
        return java.util.Collections.unmodifiableSet(channels);
    }

    /** Reader thread; the hub calls it under its lock when the nick changes. */
    void setNickLocked(String newNick) {
        nick = newNick;
        updatePrefix();
    }

    public void setUser(String user, String realname) {
        this.user = user;
        this.realname = realname;
        updatePrefix();
    }

    private void updatePrefix() {
        prefix = nick + "!" + (user == null ? "*" : user) + "@" + host;
    }

    public boolean isCapNegotiating() {
        return capNegotiating;
    }

    public void setCapNegotiating(boolean on) {
        capNegotiating = on;
    }

    public String password() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    Sasl sasl() {
        return sasl;
    }

    void startSasl() {
        sasl = new Sasl(new StringBuilder());
    }

    void resetSasl() {
        sasl = null;
    }

    void markRegistered() {
        registered = true;
    }

    // ---- capabilities, modes, away, account ----

    public int caps() {
        return caps;
    }

    public boolean hasCap(Cap c) {
        return (caps & c.bit()) != 0;
    }

    /** Reader thread only. */
    void setCaps(int newCaps) {
        caps = newCaps;
    }

    public String away() {
        return away;
    }

    void setAway(String text) {
        away = text;
    }

    public String account() {
        return account;
    }

    public void setAccount(String name) {
        account = name;
    }

    public String operName() {
        return operName;
    }

    void setOperName(String name) {
        operName = name;
    }

    /** User mode letters currently set, e.g. {@code "iw"}. */
    public String userModes() {
        int m = userModes;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < UserMode.LETTERS.length(); i++) {
            if ((m & (1 << i)) != 0) {
                sb.append(UserMode.LETTERS.charAt(i));
            }
        }
        return sb.toString();
    }

    public boolean hasMode(char letter) {
        int i = UserMode.LETTERS.indexOf(letter);
        return i >= 0 && (userModes & (1 << i)) != 0;
    }

    /** Sets or clears a user mode; returns whether anything changed. */
    boolean setMode(char letter, boolean on) {
        int i = UserMode.LETTERS.indexOf(letter);
        if (i < 0) {
            return false;
        }
        int before = userModes;
        userModes = on ? before | (1 << i) : before & ~(1 << i);
        return before != userModes;
    }

    public boolean isOper() {
        return hasMode('o');
    }

    public long lastMessageMillis() {
        return lastMessageMillis;
    }

    void markMessageSent() {
        lastMessageMillis = hub.now();
    }

    void setRealname(String name) {
        realname = name;
    }

    /** Changes the visible host (e.g. an operator's vhost). */
    void setHost(String newHost) {
        host = newHost;
        updatePrefix();
    }

    /** For logs: {@code nick (address)}. */
    public String describe() {
        String n = nick;
        return (n == null ? "-" : n) + " (" + host + ")";
    }

    @Override
    public String toString() {
        return "Client[" + id + " " + describe() + "]";
    }
}
