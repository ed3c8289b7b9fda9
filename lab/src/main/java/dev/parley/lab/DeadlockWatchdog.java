package dev.parley.lab;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a cycle in the wait-for graph of a set of threads that take {@link Fork}s. One consistent
 * thread dump from {@link ThreadMXBean} tells, for every thread, which fork it is parked on and
 * which thread owns that fork: an edge waiter → owner. A cycle of such edges is a deadlock: every
 * thread in it waits for the next, so none can move.
 */
final class DeadlockWatchdog {
    /** One step of a cycle: {@code philosopher} holds {@code holds} and waits for {@code waitsFor}, held by {@code heldBy}. */
    record Link(String philosopher, List<String> holds, String waitsFor, String heldBy) {
    }

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Map<Long, Thread> threads = new HashMap<>();
    private final Map<Integer, Fork> forks = new HashMap<>();

    DeadlockWatchdog(List<Thread> watched, List<Fork> locks) {
        watched.forEach(t -> threads.put(t.threadId(), t));
        locks.forEach(f -> forks.put(System.identityHashCode(f), f));
    }

    /**
     * The cycle in the wait-for graph right now, starting from its thread with the lowest id, or
     * an empty list when there is none.
     */
    List<Link> findCycle() {
        long[] ids = threads.keySet().stream().mapToLong(Long::longValue).toArray();
        ThreadInfo[] infos = mx.getThreadInfo(ids, false, true);
        Map<Long, ThreadInfo> byId = new HashMap<>();
        Map<Long, Long> waitsForOwner = new HashMap<>();
        for (ThreadInfo info : infos) {
            if (info == null) {
                continue;   // thread has ended
            }
            byId.put(info.getThreadId(), info);
            Fork f = fork(info.getLockInfo());
            if (info.getThreadState() == Thread.State.WAITING && f != null && threads.containsKey(info.getLockOwnerId())) {
                waitsForOwner.put(info.getThreadId(), info.getLockOwnerId());
            }
        }
        for (long start : ids) {
            Set<Long> path = new LinkedHashSet<>();
            Long at = start;
            while (at != null && path.add(at)) {
                at = waitsForOwner.get(at);
            }
            if (at != null) {                     // came back to a thread on the path: a cycle from 'at'
                List<Long> cycle = new ArrayList<>();
                boolean in = false;
                for (long t : path) {
                    in |= t == at;
                    if (in) {
                        cycle.add(t);
                    }
                }
                return describe(rotate(cycle), byId);
            }
        }
        return List.of();
    }

    /** Thread ids the JVM's own detector finds deadlocked (on monitors or ownable synchronizers). */
    Set<Long> jvmDeadlocked() {
        long[] ids = mx.findDeadlockedThreads();
        Set<Long> set = new LinkedHashSet<>();
        if (ids != null) {
            for (long id : ids) {
                set.add(id);
            }
        }
        return set;
    }

    /** Ids of the threads named in {@code cycle}. */
    Set<Long> ids(List<Link> cycle) {
        Set<Long> set = new LinkedHashSet<>();
        for (Link l : cycle) {
            threads.values().stream().filter(t -> t.getName().equals(l.philosopher())).forEach(t -> set.add(t.threadId()));
        }
        return set;
    }

    private static List<Long> rotate(List<Long> cycle) {
        int min = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i) < cycle.get(min)) {
                min = i;
            }
        }
        List<Long> r = new ArrayList<>(cycle.subList(min, cycle.size()));
        r.addAll(cycle.subList(0, min));
        return r;
    }

    private List<Link> describe(List<Long> cycle, Map<Long, ThreadInfo> byId) {
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < cycle.size(); i++) {
            ThreadInfo info = byId.get(cycle.get(i));
            List<String> holds = new ArrayList<>();
            for (LockInfo held : info.getLockedSynchronizers()) {
                Fork f = fork(held);
                holds.add(f != null ? f.name() : held.toString());
            }
            Fork waiting = fork(info.getLockInfo());
            String owner = threads.get(cycle.get((i + 1) % cycle.size())).getName();
            links.add(new Link(info.getThreadName(), List.copyOf(holds), waiting.name(), owner));
        }
        return List.copyOf(links);
    }

    private Fork fork(LockInfo lock) {
        if (lock == null || !lock.getClassName().equals(Fork.class.getName())) {
            return null;
        }
        return forks.get(lock.getIdentityHashCode());
    }

    /** The cycle as one line: philosopher-0 → fork-1 → philosopher-1 → … → philosopher-0. */
    static String asText(List<Link> cycle) {
        StringBuilder sb = new StringBuilder();
        for (Link l : cycle) {
            sb.append(l.philosopher()).append(" → ").append(l.waitsFor()).append(" → ");
        }
        return sb.append(cycle.getFirst().philosopher()).toString();
    }
}
