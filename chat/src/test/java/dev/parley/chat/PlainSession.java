package dev.parley.chat;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * Runs {@code parley chat} in plain mode on its own thread through the real picocli parser,
 * with a pipe as its input and its output split into lines a test can wait for.
 */
final class PlainSession implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private int cursor;

    private PlainSession(Map<String, String> env, String... args) throws IOException {
        this(env, null, args);
    }

    private PlainSession(Map<String, String> env, String script, String... args) throws IOException {
        PipedInputStream stdin = new PipedInputStream(keyboard, 1 << 16);
        if (script != null) {
            keyboard.write(script.getBytes(StandardCharsets.UTF_8));
            keyboard.close();
        }
        CommandLine cl = new CommandLine(new ChatCommand(stdin, () -> false, env::get));
        cl.setOut(new PrintWriter(new LineWriter(), true));
        cl.setErr(new PrintWriter(new Writer() {
            @Override
            public void write(char[] c, int off, int len) {
                synchronized (err) {
                    err.append(c, off, len);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }, true));
        Thread t = new Thread(() -> {
            try {
                exit.complete(cl.execute(args));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "test-chat-" + String.join(" ", args));
        t.setDaemon(true);
        t.start();
    }

    static PlainSession start(String... args) throws IOException {
        return new PlainSession(Map.of(), args);
    }

    static PlainSession startWithEnv(Map<String, String> env, String... args) throws IOException {
        return new PlainSession(env, args);
    }

    /** A session whose whole input is written, and ended, before it starts. */
    static PlainSession startWithScript(String script, String... args) throws IOException {
        PlainSession s = new PlainSession(Map.of(), script, args);
        return s;
    }

    /** Types one line. */
    void type(String line) {
        try {
            keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the input, as Ctrl-D or the end of a piped file would. */
    void endInput() {
        try {
            keyboard.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Waits for an output line (after the last one expected) that matches; returns it. */
    String expect(Predicate<String> p) {
        String[] found = new String[1];
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> {
            synchronized (lines) {
                for (int i = cursor; i < lines.size(); i++) {
                    if (p.test(lines.get(i))) {
                        cursor = i + 1;
                        found[0] = lines.get(i);
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    /** Waits for exactly this output line. */
    String expect(String line) {
        try {
            return expect(line::equals);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no line '" + line + "' in:\n" + String.join("\n", output()), e);
        }
    }

    List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String errors() {
        synchronized (err) {
            return err.toString();
        }
    }

    int awaitExit() throws Exception {
        return exit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        endInput();
    }

    /** Collects written characters into lines. */
    private final class LineWriter extends Writer {
        @Override
        public void write(char[] c, int off, int len) {
            synchronized (lines) {
                for (int i = off; i < off + len; i++) {
                    if (c[i] == '\n') {
                        lines.add(partial.toString());
                        partial.setLength(0);
                    } else if (c[i] != '\r') {
                        partial.append(c[i]);
                    }
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
