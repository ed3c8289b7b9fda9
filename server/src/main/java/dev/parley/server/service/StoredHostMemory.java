package dev.parley.server.service;

import dev.parley.server.store.Store;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembered hosts kept in the store. Lookups read an in-memory copy loaded at start; changes
 * update the copy at once and are written behind on a thread of their own, so a caller (which
 * may hold the hub lock) never waits on disk.
 */
public final class StoredHostMemory implements HostMemory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");

    private final Store store;
    private final int max;
    private final Map<String, Seen> cache = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("parley-hosts-writer").daemon(true).unstarted(r));

    /** @param max addresses remembered at most; past it the longest unseen tenth is forgotten */
    public StoredHostMemory(Store store, Iterable<Store.RememberedHost> all, int max) {
        this.store = store;
        this.max = max;
        for (Store.RememberedHost h : all) {
            cache.put(h.address(), new Seen(h.nick(), h.seenAtMillis()));
        }
    }

    @Override
    public Optional<Seen> lookup(String address) {
        return Optional.ofNullable(cache.get(address));
    }

    @Override
    public void remember(String address, String nick, long atMillis) {
        cache.put(address, new Seen(nick, atMillis));
        if (cache.size() > max) {
            long cutoff = HostMemory.evictOldest(cache, max);
            writer.execute(() -> {
                try {
                    store.forgetHostsSeenBefore(cutoff);
                } catch (RuntimeException e) {
                    LOG.warn("could not forget old remembered hosts: {}", e.getMessage());
                }
            });
        }
        writer.execute(() -> {
            try {
                store.rememberHost(address, nick, atMillis);
            } catch (RuntimeException e) {
                LOG.warn("could not store remembered host: {}", e.getMessage());
            }
        });
    }

    @Override
    public int clear() {
        int n = cache.size();
        cache.clear();
        writer.execute(() -> {
            try {
                store.clearHosts();
            } catch (RuntimeException e) {
                LOG.warn("could not clear remembered hosts: {}", e.getMessage());
            }
        });
        return n;
    }

    @Override
    public int size() {
        return cache.size();
    }

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
