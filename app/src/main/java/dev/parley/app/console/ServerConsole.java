package dev.parley.app.console;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console: a thread of its own ({@code parley-console}) reads commands from
 * standard input and hands them to an {@link OperatorConsole}, while the engines' threads serve
 * the clients.
 *
 * <p>When standard input and output are a terminal, lines are read with JLine (editing,
 * history, completion of command names) and log lines are printed above the prompt. Otherwise
 * input is read as plain lines, so a script or a test can drive the console through a pipe.
 * The end of input ends the console, never the server.
 */
public final class ServerConsole implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.console");
    private static final String PROMPT = "parley> ";

    private final OperatorConsole operator;
    private final Runnable onInterrupt;
    private final Thread thread;
    private volatile boolean closed;
    private Terminal terminal;
    private InputStream plainInput;
    private PrintStream plainOutput;
    private PrintStream originalOut;

    private ServerConsole(OperatorConsole operator, Runnable onInterrupt) {
        this.operator = operator;
        this.onInterrupt = onInterrupt;
        this.thread = Thread.ofPlatform().name("parley-console").daemon(true).unstarted(this::run);
    }

    /**
     * Starts reading plain lines from {@code in} and printing replies to {@code out}.
     */
    public static ServerConsole plain(OperatorConsole operator, InputStream in, PrintStream out) {
        ServerConsole c = new ServerConsole(operator, () -> { });
        c.plainInput = in;
        c.plainOutput = out;
        c.start();
        return c;
    }

    /**
     * Sets up a console on this process's standard input: JLine when it and standard output are
     * a terminal, plain lines otherwise; {@link #start} starts reading. {@code onInterrupt} runs
     * when Ctrl-C reaches the line reader instead of raising SIGINT.
     */
    public static ServerConsole onStandardInput(OperatorConsole operator, Runnable onInterrupt) {
        ServerConsole c = new ServerConsole(operator, onInterrupt);
        if (isInteractive()) {
            try {
                c.terminal = TerminalBuilder.builder()
                        .system(true)
                        .nativeSignals(true)
                        .signalHandler(Terminal.SignalHandler.SIG_IGN)
                        .build();
            } catch (IOException | RuntimeException e) {
                LOG.warn("no line editing ({}); reading plain lines", e.getMessage());
                c.terminal = null;
            }
        }
        if (c.terminal == null) {
            c.plainInput = System.in;
            c.plainOutput = System.out;
        }
        return c;
    }

    /** Starts reading commands (and sampling message rates for {@code status}). */
    public void start() {
        operator.startSampling();
        thread.start();
    }

    /** True when standard input and output are both a terminal. */
    static boolean isInteractive() {
        try {
            TerminalProvider ffm = TerminalProvider.load("ffm");
            return ffm.isSystemStream(SystemStream.Input) && ffm.isSystemStream(SystemStream.Output);
        } catch (Exception | LinkageError e) {
            return false; // no native access: plain lines still work
        }
    }

    /** Runs on the console thread. */
    private void run() {
        try {
            if (terminal != null) {
                readTerminal();
            } else {
                readPlain();
            }
        } catch (RuntimeException | java.io.IOError e) {
            if (!closed) {
                LOG.error("console failed; the server keeps running", e);
            }
        }
    }

    private void readPlain() {
        BufferedReader in = new BufferedReader(new InputStreamReader(plainInput, StandardCharsets.UTF_8));
        try {
            String line;
            while (!closed && (line = in.readLine()) != null) {
                String reply = operator.execute(line);
                if (!reply.isEmpty()) {
                    plainOutput.print(reply + System.lineSeparator()); // one write: not split by log lines
                    plainOutput.flush();
                }
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("console input failed: {}", e.getMessage());
            }
        }
        if (!closed) {
            LOG.info("console input ended; the server keeps running");
        }
    }

    private void readTerminal() {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("parley")
                .completer(new StringsCompleter(ConsoleCommand.names()))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        originalOut = System.out;
        System.setOut(new PrintStream(new LineSink(reader::printAbove), true, StandardCharsets.UTF_8));
        terminal.writer().println("Type 'help' for operator commands.");
        terminal.writer().flush();
        while (!closed) {
            String line;
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                onInterrupt.run();
                continue;
            } catch (EndOfFileException e) {
                if (!closed) {
                    LOG.info("console input ended; the server keeps running");
                }
                return;
            }
            String reply = operator.execute(line);
            if (!reply.isEmpty()) {
                terminal.writer().println(reply);
                terminal.writer().flush();
            }
        }
    }

    /** Stops the console and gives the terminal back as it was. */
    @Override
    public void close() {
        closed = true;
        operator.close();
        if (originalOut != null) {
            System.setOut(originalOut);
        }
        if (terminal != null) {
            try {
                terminal.close();
            } catch (IOException ignored) {
                // the process is ending anyway
            }
        }
    }

    /** Collects bytes into lines and hands each finished line on (log output above the prompt). */
    private static final class LineSink extends OutputStream {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        LineSink(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String line = pending.toString(StandardCharsets.UTF_8);
                pending.reset();
                lines.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            } else {
                pending.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
