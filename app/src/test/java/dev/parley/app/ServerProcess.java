package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged {@code parley server} run as a process: standard input is a pipe the test types
 * console commands into; every line of its output is kept and can be waited for.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("^Parley (\\S+) listening on 127\\.0\\.0\\.1:(\\d+) \\(engine (\\w+)\\)$");
    private static final long TIMEOUT_SECONDS = 30;

    private final Process process;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final int port;
    private final String engine;

    private ServerProcess(List<String> args) throws IOException {
        Path jar = Path.of("target", "parley.jar").toAbsolutePath();
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                "server", "--host", "127.0.0.1", "--port", "0", "--tls-port", "0"));
        command.addAll(args);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        stdin = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "server-process-output");
        reader.setDaemon(true);
        reader.start();
        Matcher ready = READY.matcher(awaitLine(l -> READY.matcher(l).matches()));
        assertThat(ready.matches()).isTrue();
        port = Integer.parseInt(ready.group(2));
        engine = ready.group(3);
    }

    /** Starts the server with these extra options and waits for its ready line. */
    static ServerProcess start(String... args) throws IOException {
        return new ServerProcess(List.of(args));
    }

    int port() {
        return port;
    }

    String engine() {
        return engine;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** Types one line at the console. */
    void type(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Ends the console's input. */
    void closeInput() throws IOException {
        stdin.close();
    }

    /** Takes output lines until one matches (earlier ones are skipped); fails after a generous timeout. */
    String awaitLine(Predicate<String> p) {
        try {
            while (true) {
                String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (line == null) {
                    throw new AssertionError("no matching line within " + TIMEOUT_SECONDS + " s; output so far:\n"
                            + String.join("\n", seen));
                }
                seen.add(line);
                if (p.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next {@code n} output lines. */
    List<String> next(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(awaitLine(l -> true));
        }
        return out;
    }

    /** Sends a signal ({@code TERM}, {@code INT}) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** Waits for the process to end and returns its exit status. */
    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("process exited; output:\n%s", String.join("\n", seen)).isTrue();
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
