package dev.parley.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * Plain mode, for pipes and scripts: every input line is handled as if typed, every event is
 * one plain line on the output. The chat loop thread writes the output; one input thread
 * ({@code chat-input}) reads lines and posts them, and posts the end of input last.
 */
final class PlainUi implements Ui {
    private final InputStream in;
    private final PrintWriter out;
    private final PlainFormat format;

    PlainUi(InputStream in, PrintWriter out, ZoneId zone) {
        this.in = in;
        this.out = out;
        this.format = new PlainFormat(zone);
    }

    @Override
    public void show(Shown line, ChatState state) {
        out.println(format.format(line));
        out.flush();
    }

    @Override
    public void prompt(ChatState state, boolean online) {
        // no prompt: the output is for reading by programs
    }

    @Override
    public void startInput(Consumer<Event> events) {
        Thread.ofPlatform().daemon().name("chat-input").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    events.accept(new Event.Typed(line, () -> { }));
                }
            } catch (IOException e) {
                // an unreadable input ends like a finished one
            } finally {
                events.accept(new Event.InputEnded());
            }
        });
    }

    @Override
    public void close() {
        out.flush();
    }
}
