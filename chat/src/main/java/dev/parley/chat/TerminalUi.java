package dev.parley.chat;

import java.io.IOException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Terminal mode: a JLine line editor at the bottom with history and tab completion. The chat
 * loop thread prints with {@link LineReader#printAbove}, which clears the line being edited,
 * prints above it and redraws it, so incoming text never mixes with what is being typed. The
 * input thread ({@code chat-input}) reads lines and waits until the loop has taken each one,
 * so the next prompt already shows its effect (a new target after {@code /join}).
 */
final class TerminalUi implements Ui {
    /** Lines of input history kept. */
    static final int HISTORY_SIZE = 1000;

    private final Terminal terminal;
    private final LineReader reader;
    private final TerminalFormat format;
    private volatile ChatState state;
    private volatile String prompt = "> ";
    /** The thread reading the chat's lines (not the questions asked before the session). */
    private volatile Thread inputThread;

    TerminalUi(Terminal terminal, Clock clock, ZoneId zone) {
        this.terminal = terminal;
        this.format = new TerminalFormat(zone, clock);
        DefaultParser parser = new DefaultParser();
        parser.setQuoteChars(new char[0]);
        parser.setEscapeChars(new char[0]);
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("parley-chat")
                .parser(parser)
                .completer(new ChatCompleter(() -> state == null ? List.of() : state.completionWords()))
                .variable(LineReader.HISTORY_SIZE, HISTORY_SIZE)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
                .build();
        // readLine takes its prompt before it counts as reading; a prompt() in between would only
        // change the field, so the chat's line picks up the latest one as it starts
        reader.getWidgets().put(LineReader.CALLBACK_INIT, () -> {
            if (Thread.currentThread() == inputThread && reader instanceof LineReaderImpl impl) {
                impl.setPrompt(prompt);
            }
            return true;
        });
    }

    /** The terminal of this process. */
    static TerminalUi system(Clock clock, ZoneId zone) throws IOException {
        return new TerminalUi(TerminalBuilder.builder().system(true).name("parley").build(), clock, zone);
    }

    /** Asks a question on the terminal before the session starts; null at end of input. */
    String ask(String question, boolean secret) {
        reader.option(LineReader.Option.ERASE_LINE_ON_FINISH, false); // questions and answers stay visible
        try {
            return secret ? reader.readLine(question, '*') : reader.readLine(question);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        } finally {
            reader.option(LineReader.Option.ERASE_LINE_ON_FINISH, true);
        }
    }

    @Override
    public void show(Shown line, ChatState s) {
        reader.printAbove(format.format(line, s.nick(), s.mapping()));
    }

    @Override
    public void prompt(ChatState s, boolean online) {
        state = s;
        String p = promptText(s, online);
        prompt = p;
        if (reader instanceof LineReaderImpl impl) {
            impl.setPrompt(p); // what the redraw below shows while a line is being edited
        }
        if (reader.isReading()) {
            try {
                reader.callWidget(LineReader.REDRAW_LINE);
                reader.callWidget(LineReader.REDISPLAY);
            } catch (IllegalStateException e) {
                // the reader finished its line meanwhile; the next one uses the new prompt
            }
        }
    }

    /** {@code (offline) #chan> }: the target comes from the server too, so it is cleaned. */
    static String promptText(ChatState s, boolean online) {
        String target = s.target();
        return (online ? "" : "(offline) ") + (target == null ? "" : Clean.text(target)) + "> ";
    }

    @Override
    public void startInput(Consumer<Event> events) {
        Thread.ofPlatform().daemon().name("chat-input").start(() -> {
            inputThread = Thread.currentThread();
            try {
                while (true) {
                    String line = reader.readLine(prompt);
                    CountDownLatch taken = new CountDownLatch(1);
                    events.accept(new Event.Typed(line, taken::countDown));
                    taken.await();
                }
            } catch (UserInterruptException | EndOfFileException | InterruptedException e) {
                events.accept(new Event.InputEnded());
            } catch (RuntimeException e) {
                events.accept(new Event.InputEnded()); // the terminal was closed under the reader
            }
        });
    }

    @Override
    public void close() {
        try {
            terminal.close();
        } catch (IOException ignored) {
            // the terminal is going away with the process
        }
    }
}
