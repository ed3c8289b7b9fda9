package dev.parley.server.service;

import dev.parley.server.store.Store;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read markers of accounts (IRCv3 {@code draft/read-marker}): for each account and target
 * (channel or nick, both case-folded), the time of the last message the user has read. Lookups
 * read an in-memory copy loaded at start, so a JOIN can answer with its marker without waiting
 * on disk; a marker that moves forward updates the copy at once and is written behind on a
 * thread of its own ({@code parley-marks-writer}). A marker only ever moves forward. An account
 * keeps at most {@link #MAX_PER_ACCOUNT} markers; past it the one read longest ago is forgotten.
 *
 * <p>Any thread; {@link #advance} is atomic per account and target.
 */
public final class ReadMarkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");

    /** Markers one account keeps at most. */
    public static final int MAX_PER_ACCOUNT = 1000;

    private final Store store;
    private final Map<String, Map<String, Long>> byAccount = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("parley-marks-writer").daemon(true).unstarted(r));

    public ReadMarkers(Store store) {
        this.store = store;
        for (Store.ReadMarker m : store.readMarkers()) {
            markers(m.account()).merge(m.target(), m.readAtMillis(), Math::max);
        }
    }

    /** The marker of {@code account} for {@code target} (both case-folded), or 0 when none is set. */
    public long get(String account, String target) {
        Map<String, Long> m = byAccount.get(account);
        Long at = m == null ? null : m.get(target);
        return at == null ? 0 : at;
    }

    /** What {@link #advance} did: the marker after the call, and whether it moved. */
    public record Advance(long readAtMillis, boolean moved) {
    }

    /**
     * Moves the marker to {@code atMillis} if that is later than the stored one (or none is
     * stored); otherwise leaves the stored one. Never blocks.
     */
    public Advance advance(String account, String target, long atMillis) {
        boolean[] moved = {false};
        long now = markers(account).compute(target, (t, old) -> {
            if (old == null || atMillis > old) {
                moved[0] = true;
                return atMillis;
            }
            return old;
        });
        if (moved[0]) {
            evictPast(account, target, MAX_PER_ACCOUNT);
            writer.execute(() -> {
                try {
                    store.putReadMarker(account, target, atMillis);
                } catch (RuntimeException e) {
                    LOG.warn("could not store a read marker: {}", e.getMessage());
                }
            });
        }
        return new Advance(now, moved[0]);
    }

    /** Forgets the markers of {@code account} read longest ago, but not {@code keep}'s, until it has at most {@code max}. */
    private void evictPast(String account, String keep, int max) {
        Map<String, Long> m = markers(account);
        while (m.size() > max) {
            Map.Entry<String, Long> oldest = null;
            for (Map.Entry<String, Long> e : m.entrySet()) {
                if (!e.getKey().equals(keep) && (oldest == null || e.getValue() < oldest.getValue())) {
                    oldest = e;
                }
            }
            if (oldest == null) {
                return;
            }
            if (!m.remove(oldest.getKey(), oldest.getValue())) {
                continue; // moved meanwhile: look again
            }
            String target = oldest.getKey();
            writer.execute(() -> {
                try {
                    store.deleteReadMarker(account, target);
                } catch (RuntimeException e) {
                    LOG.warn("could not delete a read marker: {}", e.getMessage());
                }
            });
        }
    }

    /** Forgets every marker of {@code account} (case-folded), e.g. when the account is dropped. Never blocks. */
    public void forgetAccount(String account) {
        byAccount.remove(account);
        writer.execute(() -> {
            try {
                store.deleteReadMarkers(account);
            } catch (RuntimeException e) {
                LOG.warn("could not delete read markers: {}", e.getMessage());
            }
        });
    }

    private Map<String, Long> markers(String account) {
        return byAccount.computeIfAbsent(account, a -> new ConcurrentHashMap<>());
    }

    /** Stores what is still queued, then stops the writer. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
