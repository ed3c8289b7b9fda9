package dev.parley.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.Embedded;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What readers do — messages to a channel, to its operators, WHO, NAMES, LIST, ban checks —
 * reads channel views and takes no lock: it all completes while another thread holds the hub
 * lock. Socket-free (see {@link Embedded}).
 */
class HotPathTest {
    private final Embedded server = new Embedded();

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void messagesAndQueriesRunWhileTheHubLockIsHeldElsewhere() throws Exception {
        Embedded.Conn op = server.register("op");
        Embedded.Conn member = server.register("member");
        op.send("JOIN #hot");
        member.send("JOIN #hot");
        op.send("MODE #hot +b bad!*@*");
        op.take();
        member.take();

        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<Boolean> holder = CompletableFuture.supplyAsync(() -> {
            server.hub().lock().lock();
            try {
                held.countDown();
                return awaitQuietly(done); // true: the readers finished while the lock was held here
            } finally {
                server.hub().lock().unlock();
            }
        }, threads);
        assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> readers = CompletableFuture.runAsync(() -> {
            member.send("PRIVMSG #hot :hello", "NOTICE #hot :notice", "PRIVMSG @#hot :to the operators",
                    "WHO #hot", "NAMES #hot", "LIST");
            done.countDown();
        }, threads);
        readers.get(20, TimeUnit.SECONDS);
        assertThat(holder.get(20, TimeUnit.SECONDS)).as("finished while another thread held the hub lock").isTrue();
        threads.shutdown();

        List<IrcMessage> toOp = op.take();
        assertThat(toOp).extracting(IrcMessage::command).containsExactly("PRIVMSG", "NOTICE", "PRIVMSG");
        assertThat(toOp.get(2).param(0)).isEqualTo("@#hot");
        List<String> replies = member.take().stream().map(IrcMessage::command).toList();
        assertThat(replies).contains("352", "315", "353", "366", "322", "323");
    }

    @Test
    void aNewViewIsPublishedForEveryChangeAndOldViewsNeverChange() {
        Embedded.Conn op = server.register("op");
        op.send("JOIN #v");
        Channel ch = server.hub().findChannel("#v");
        Channel.View before = ch.view();
        Embedded.Conn voiced = server.register("voiced");
        voiced.send("JOIN #v");
        op.send("MODE #v +vm voiced", "TOPIC #v :hello");

        Channel.View after = ch.view();
        assertThat(before.members()).containsExactly(op.client());
        assertThat(before.modes().moderated()).isFalse();
        assertThat(before.topic()).isNull();
        assertThat(after.members()).containsExactly(op.client(), voiced.client());
        assertThat(after.prefixes()).extracting(m -> m.prefix(true)).containsExactly("@", "+");
        assertThat(after.modes().moderated()).isTrue();
        assertThat(after.topic().text()).isEqualTo("hello");
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
