package dev.parley.scan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A connector that plays a script on a {@link FakeClock}: each try of each target gets a
 * scripted reply after a scripted delay, or none at all. When the scan waits, the clock jumps
 * to the next scripted event (or to the end of the wait), so timeouts and retries run
 * deterministically and instantly. Records every start and close.
 */
final class ScriptedConnector implements Connector {
    enum Act { ACCEPT, SELF_CONNECT, REFUSE, SILENT, UNREACHABLE, LOCAL_FAILURE, NETWORK_TIMEOUT }

    /** What a target does on one try: {@code act} after {@code delayNanos}; an accepted one then sends {@code banner}. */
    record Reply(Act act, long delayNanos, String banner) {
        static Reply of(Act act) {
            return new Reply(act, FakeClock.ms(1), null);
        }

        static Reply after(Act act, long millis) {
            return new Reply(act, FakeClock.ms(millis), null);
        }
    }

    /** The reply of {@code target} to its {@code tryNo}-th connection (1-based). */
    @FunctionalInterface
    interface Script {
        Reply reply(InetSocketAddress target, int tryNo);
    }

    /** One recorded event: what, which port, which try, when. */
    record Event(String what, int port, int tryNo, long at) {
    }

    private record Due(long at, long seq, Attempt attempt, Object token, Act act, String data) {
    }

    private final FakeClock clock;
    private final Script script;
    private final PriorityQueue<Due> due = new PriorityQueue<>(
            Comparator.comparingLong(Due::at).thenComparingLong(Due::seq));
    private final Map<InetSocketAddress, Integer> tries = new HashMap<>();
    private final Map<Object, Reply> replies = new HashMap<>();
    final List<Event> log = new ArrayList<>();
    private long seq;
    private int open;
    private int peakOpen;
    private boolean closed;

    ScriptedConnector(FakeClock clock, Script script) {
        this.clock = clock;
        this.script = script;
    }

    @Override
    public boolean connect(Attempt a) {
        int tryNo = tries.merge(a.target, 1, Integer::sum);
        Reply reply = script.reply(a.target, tryNo);
        Object token = new Object();
        a.handle = token;
        replies.put(token, reply);
        long now = clock.getAsLong();
        log.add(new Event("connect", a.port(), tryNo, now));
        if (reply.act() == Act.LOCAL_FAILURE) {
            due.add(new Due(now, seq++, a, token, Act.LOCAL_FAILURE, null));
            return true;
        }
        open++;
        peakOpen = Math.max(peakOpen, open);
        if (reply.act() != Act.SILENT) {
            due.add(new Due(now + reply.delayNanos(), seq++, a, token, reply.act(), null));
        }
        return false;
    }

    @Override
    public void awaitData(Attempt a) {
        Reply reply = replies.get(a.handle);
        if (reply != null && reply.banner() != null) {
            due.add(new Due(clock.getAsLong() + FakeClock.ms(1), seq++, a, a.handle, null, reply.banner()));
        }
    }

    @Override
    public void close(Attempt a) {
        Object token = a.handle;
        a.handle = null;
        Reply reply = replies.remove(token);
        if (reply != null && reply.act() != Act.LOCAL_FAILURE) {
            open--;
            log.add(new Event("close", a.port(), tries.get(a.target), clock.getAsLong()));
        }
    }

    @Override
    public void poll(long maxWaitNanos, Events events) {
        long now = clock.getAsLong();
        if (due.isEmpty() || due.peek().at() > now) {
            long until = now + maxWaitNanos;
            if (!due.isEmpty()) {
                until = Math.min(until, due.peek().at());
            }
            clock.advanceTo(until);
            now = clock.getAsLong();
        }
        List<Due> ready = new ArrayList<>();
        while (!due.isEmpty() && due.peek().at() <= now) {
            ready.add(due.poll());
        }
        for (Due d : ready) {
            Attempt a = d.attempt();
            if (a.handle != d.token()) {
                continue;
            }
            if (d.data() != null) {
                byte[] b = d.data().getBytes(StandardCharsets.ISO_8859_1);
                events.data(a, b, b.length, false);
                continue;
            }
            switch (d.act()) {
                case ACCEPT -> events.connected(a);
                case SELF_CONNECT -> events.selfConnected(a);
                case REFUSE -> events.refused(a);
                case UNREACHABLE -> events.unreachable(a);
                case NETWORK_TIMEOUT -> events.noAnswer(a);
                case LOCAL_FAILURE -> events.localFailure(a, new IOException("Too many open files"));
                case SILENT -> throw new AssertionError("silent targets never answer");
            }
        }
    }

    @Override
    public int openSockets() {
        return open;
    }

    int peakOpenSockets() {
        return peakOpen;
    }

    boolean isClosed() {
        return closed;
    }

    /** Times at which tries of {@code port} were given up (closed without an answer) or closed. */
    List<Event> events(String what, int port) {
        return log.stream().filter(e -> e.what().equals(what) && e.port() == port).toList();
    }

    @Override
    public void close() {
        closed = true;
    }
}
