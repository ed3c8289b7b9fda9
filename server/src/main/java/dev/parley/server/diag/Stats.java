package dev.parley.server.diag;

import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters, cheap to bump from any thread. */
public final class Stats {
    private final LongAdder linesIn = new LongAdder();
    private final LongAdder linesOut = new LongAdder();
    private final LongAdder connectionsAccepted = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();

    public long linesIn() {
        return linesIn.sum();
    }

    public long linesOut() {
        return linesOut.sum();
    }

    public long connectionsAccepted() {
        return connectionsAccepted.sum();
    }

    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    public void lineIn() {
        linesIn.increment();
    }

    public void lineOut() {
        linesOut.increment();
    }

    public void connectionAccepted() {
        connectionsAccepted.increment();
    }

    public void connectionRefused() {
        connectionsRefused.increment();
    }

    private final LongAdder excessFloods = new LongAdder();
    private final LongAdder floodDelays = new LongAdder();

    /** Commands that had to wait for their client's flood bucket. */
    public long floodDelays() {
        return floodDelays.sum();
    }

    public void floodDelayed() {
        floodDelays.increment();
    }

    /** Clients disconnected for holding more unhandled input than the RecvQ allows. */
    public long excessFloods() {
        return excessFloods.sum();
    }

    public void excessFlood() {
        excessFloods.increment();
    }

    private final LongAdder registrations = new LongAdder();
    private final LongAdder sendQDrops = new LongAdder();
    private final LongAdder bansHit = new LongAdder();

    /** Users who completed registration. */
    public long registrations() {
        return registrations.sum();
    }

    public void registered() {
        registrations.increment();
    }

    /** Clients dropped because their SendQ overflowed. */
    public long sendQDrops() {
        return sendQDrops.sum();
    }

    public void sendQDropped() {
        sendQDrops.increment();
    }

    /** Connections or users refused or removed by a K-line or D-line. */
    public long bansHit() {
        return bansHit.sum();
    }

    public void banHit() {
        bansHit.increment();
    }
}
