package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.diag.DeadlockWatchdog;
import dev.parley.server.diag.WatchedLock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watchdog names the threads of a real deadlock and the locks they wait for. */
class DeadlockWatchdogTest {
    private final DeadlockWatchdog watchdog = new DeadlockWatchdog();
    private Thread first;
    private Thread second;

    @AfterEach
    void breakTheDeadlock() throws InterruptedException {
        // every wait below is interruptible: interrupting both threads ends the cycle
        for (Thread t : new Thread[] {first, second}) {
            if (t != null) {
                t.interrupt();
            }
        }
        for (Thread t : new Thread[] {first, second}) {
            if (t != null) {
                assertThat(t.join(Duration.ofSeconds(10))).as("%s ended", t.getName()).isTrue();
            }
        }
        watchdog.close();
    }

    @Test
    void noDeadlockIsReportedAsNone() {
        assertThat(watchdog.check()).isEmpty();
        assertThat(watchdog.status()).isEqualTo("none");
    }

    @Test
    void twoThreadsWaitingForEachOthersLocksAreReported() {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        first = lockThenLock("deadlock-test-first", a, b, bothHold);
        second = lockThenLock("deadlock-test-second", b, a, bothHold);

        List<DeadlockWatchdog.Deadlock> found = awaitCycle();

        assertThat(found).hasSize(1);
        DeadlockWatchdog.Deadlock d = found.get(0);
        assertThat(d.threads()).containsExactlyInAnyOrder("deadlock-test-first", "deadlock-test-second");
        assertThat(d.summary())
                .contains("deadlock-test-first waits for java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                .contains("held by deadlock-test-second")
                .contains("deadlock-test-second waits for java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                .contains("held by deadlock-test-first");
        assertThat(d.report())
                .contains("\"deadlock-test-first\"", "\"deadlock-test-second\"")
                .contains("owned by \"deadlock-test-second\"", "owned by \"deadlock-test-first\"")
                .contains("holds java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                .contains(DeadlockWatchdogTest.class.getName() + ".lambda$");
        assertThat(watchdog.status()).startsWith("1 cycle since ").contains(d.summary());
    }

    @Test
    void aCycleThroughASynchronizedMonitorIsReported() {
        Object monitor = new Object();
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        first = Thread.ofPlatform().name("deadlock-test-monitor-holder").start(() -> {
            synchronized (monitor) {
                bothHold.countDown();
                try {
                    bothHold.await();
                    lock.lockInterruptibly(); // never granted: the other thread holds it
                    lock.unlock();
                } catch (InterruptedException e) {
                    // released by the test
                }
            }
        });
        second = Thread.ofPlatform().name("deadlock-test-lock-holder").start(() -> {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                return;
            }
            try {
                bothHold.countDown();
                bothHold.await();
                synchronized (monitor) { // granted once the holder is interrupted and lets go
                    monitor.notifyAll();
                }
            } catch (InterruptedException e) {
                // released by the test
            } finally {
                lock.unlock();
            }
        });

        List<DeadlockWatchdog.Deadlock> found = awaitCycle();

        assertThat(found).hasSize(1);
        DeadlockWatchdog.Deadlock d = found.get(0);
        String monitorName = "java.lang.Object@" + Integer.toHexString(System.identityHashCode(monitor));
        assertThat(d.threads()).containsExactlyInAnyOrder("deadlock-test-monitor-holder", "deadlock-test-lock-holder");
        assertThat(d.summary())
                .contains("deadlock-test-lock-holder waits for " + monitorName + " held by deadlock-test-monitor-holder")
                .contains("deadlock-test-monitor-holder waits for java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                .contains("held by deadlock-test-lock-holder");
        assertThat(d.report()).contains("- locked " + monitorName);
    }

    @Test
    void aCycleIsLoggedOnceButReportedAtEveryCheck() {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        first = lockThenLock("deadlock-test-again-1", a, b, bothHold);
        second = lockThenLock("deadlock-test-again-2", b, a, bothHold);
        DeadlockWatchdog.Deadlock before = awaitCycle().get(0);

        DeadlockWatchdog.Deadlock after = watchdog.check().get(0);

        assertThat(after).as("the same finding, not a new one").isSameAs(before);
        first.interrupt();
        await().atMost(Duration.ofSeconds(10)).until(() -> watchdog.check().isEmpty());
        assertThat(watchdog.status()).startsWith("none now; last seen ").contains(before.summary());
    }

    /** Checks until the two threads have reached their deadlock (they need a moment to get there). */
    private List<DeadlockWatchdog.Deadlock> awaitCycle() {
        return await().atMost(Duration.ofSeconds(10)).until(watchdog::check, l -> !l.isEmpty());
    }

    /** A thread that takes {@code held}, waits until its partner holds the other lock, then wants {@code wanted}. */
    private static Thread lockThenLock(String name, ReentrantLock held, ReentrantLock wanted, CountDownLatch bothHold) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                held.lockInterruptibly();
            } catch (InterruptedException e) {
                return;
            }
            try {
                bothHold.countDown();
                bothHold.await();
                wanted.lockInterruptibly();
                wanted.unlock();
            } catch (InterruptedException e) {
                // released by the test
            } finally {
                held.unlock();
            }
        });
    }

    @Test
    void virtualThreadsDeadlockedOnWatchedLocksAreReportedAsStalls() {
        DeadlockWatchdog quick = new DeadlockWatchdog(Duration.ofMillis(200), java.time.Clock.systemUTC());
        WatchedLock a = new WatchedLock("alpha");
        WatchedLock b = new WatchedLock("beta");
        quick.watch(a);
        quick.watch(b);
        CountDownLatch bothHold = new CountDownLatch(2);
        first = Thread.ofVirtual().name("vt-first").start(() -> crossLock(a, b, bothHold));
        second = Thread.ofVirtual().name("vt-second").start(() -> crossLock(b, a, bothHold));
        // the JVM's own detection does not see virtual threads; the watched locks do
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            quick.check();
            return quick.stalls().size() == 2;
        });
        assertThat(quick.stalls()).anySatisfy(l -> assertThat(l)
                .startsWith("lock alpha held for").contains("\"vt-first\" (virtual)").endsWith("1 threads waiting"));
        assertThat(quick.stalls()).anySatisfy(l -> assertThat(l)
                .startsWith("lock beta held for").contains("\"vt-second\" (virtual)"));
        assertThat(quick.status()).contains("lock alpha held for").contains("lock beta held for");
        quick.close();
    }

    @Test
    void aWatchedLockHeldBrieflyIsNoStall() {
        DeadlockWatchdog quick = new DeadlockWatchdog(Duration.ofSeconds(5), java.time.Clock.systemUTC());
        WatchedLock hub = new WatchedLock("hub");
        quick.watch(hub);
        hub.lock();
        try {
            quick.check();
        } finally {
            hub.unlock();
        }
        quick.check();
        assertThat(quick.stalls()).isEmpty();
        assertThat(quick.status()).isEqualTo("none");
        quick.close();
    }

    /** Takes {@code mine}, waits until the other thread holds its own, then waits for {@code theirs}. */
    private static void crossLock(WatchedLock mine, WatchedLock theirs, CountDownLatch bothHold) {
        try {
            mine.lockInterruptibly();
            try {
                bothHold.countDown();
                bothHold.await();
                theirs.lockInterruptibly();
                theirs.unlock();
            } finally {
                mine.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
