package dev.parley.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import dev.parley.server.config.PrivateFiles;
import java.lang.reflect.Field;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The server's event log on disk: a Logback rolling file {@code parley.log} in the log
 * directory, next to the console output that {@link LogSetup} sets up. The file always
 * gets the {@code parley} events at INFO and above ({@code PARLEY_LOG_LEVEL} quiets only the
 * console). Old files roll to
 * {@code parley.<date>.<n>.log.gz} by day and by size and are deleted after a number of days.
 * The {@code parley.traffic} logger ({@code --log-traffic}) writes to this file only, so the
 * console stays readable.
 */
public final class EventLog implements AutoCloseable {
    /** The file being written. */
    public static final String FILE_NAME = "parley.log";
    /** What rolled files may take together by default ({@code --log-total-size}). */
    public static final FileSize DEFAULT_TOTAL_SIZE = FileSize.valueOf("1GB");
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n%ex";

    private final Path dir;
    private final Path file;
    private final PrivateAppender appender;
    private final LoggerContext context;
    private final boolean traffic;

    private EventLog(Path dir, PrivateAppender appender, LoggerContext context, boolean traffic) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.appender = appender;
        this.context = context;
        this.traffic = traffic;
    }

    /**
     * Starts writing the event log into {@code dir} (created if needed).
     *
     * @param maxFileSize a file rolls over past this size
     * @param historyDays rolled files older than this many days are deleted
     * @param traffic     also route the {@code parley.traffic} logger here
     * @throws IOException when the directory cannot be created or written
     */
    public static EventLog start(Path dir, FileSize maxFileSize, int historyDays, boolean traffic) throws IOException {
        return start(dir, maxFileSize, historyDays, DEFAULT_TOTAL_SIZE, traffic);
    }

    /**
     * Starts writing the event log into {@code dir}, made {@code 0700} (created if needed; its
     * files, rolled ones too, are {@code 0600}).
     *
     * @param maxFileSize  a file rolls over past this size
     * @param historyDays  rolled files older than this many days are deleted
     * @param totalSizeCap the oldest rolled files are deleted while all of them together are larger
     * @param traffic      also route the {@code parley.traffic} logger here
     * @throws IOException when the directory cannot be created or written
     */
    public static EventLog start(Path dir, FileSize maxFileSize, int historyDays, FileSize totalSizeCap, boolean traffic)
            throws IOException {
        PrivateFiles.directory(dir); // the log says who connected from where, and more with --log-traffic
        PrivateFiles.file(dir.resolve(FILE_NAME));
        PrivateFiles.filesIn(dir, "parley.*.log*", false);
        if (!Files.isWritable(dir)) {
            throw new IOException("cannot write log files in " + dir);
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IOException("the event log needs Logback");
        }
        LogEscaping.install(context); // %msg and %ex escape control characters
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();

        PrivateAppender appender = new PrivateAppender(dir);
        appender.setContext(context);
        appender.setName("PARLEY_FILE");
        appender.setFile(dir.resolve(FILE_NAME).toString());
        appender.setEncoder(encoder);
        CappedPolicy policy = new CappedPolicy();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(dir.resolve("parley.%d{yyyy-MM-dd}.%i.log.gz").toString());
        policy.setMaxFileSize(maxFileSize);
        policy.setMaxHistory(historyDays);
        policy.setTotalSizeCap(totalSizeCap);
        policy.start();
        appender.setRollingPolicy(policy);
        appender.start();
        if (!appender.isStarted()) {
            throw new IOException("cannot open " + dir.resolve(FILE_NAME));
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        Logger parley = context.getLogger("parley");
        if (!parley.isInfoEnabled()) {
            parley.setLevel(Level.INFO); // the file keeps every event even when the console shows only warnings
        }
        if (traffic) {
            Logger t = context.getLogger("parley.traffic");
            t.setLevel(Level.INFO);
            t.setAdditive(false);
            t.addAppender(appender);
        }
        return new EventLog(dir, appender, context, traffic);
    }

    public Path directory() {
        return dir;
    }

    /** The file being written now. */
    public Path file() {
        return file;
    }

    /** The total size rolled files are kept under, as the rolling policy has it. */
    public FileSize totalSizeCap() {
        return ((CappedPolicy) appender.getRollingPolicy()).totalSizeCap();
    }

    /** The last {@code n} lines of the current log file (fewer when it is shorter). */
    public List<String> tail(int n) throws IOException {
        if (n <= 0 || !Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length();
            long pos = end;
            int newlines = 0;
            byte[] chunk = new byte[8192];
            long start = 0;
            // walk back until n+1 line ends are seen (the last byte is the final line's end)
            search:
            while (pos > 0) {
                int len = (int) Math.min(chunk.length, pos);
                pos -= len;
                raf.seek(pos);
                raf.readFully(chunk, 0, len);
                for (int i = len - 1; i >= 0; i--) {
                    if (chunk[i] == '\n' && pos + i != end - 1 && ++newlines == n) {
                        start = pos + i + 1;
                        break search;
                    }
                }
            }
            byte[] bytes = new byte[(int) (end - start)];
            raf.seek(start);
            raf.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines.size() > n ? lines.subList(lines.size() - n, lines.size()) : lines;
        }
    }

    /**
     * Empties the log: the current file is truncated (the appender keeps writing to it) and
     * rolled files are deleted. Returns how many rolled files were deleted.
     */
    public int clear() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        int deleted = 0;
        try (DirectoryStream<Path> rolled = Files.newDirectoryStream(dir, "parley.*.log*")) {
            for (Path p : rolled) {
                if (!p.getFileName().toString().equals(FILE_NAME) && Files.deleteIfExists(p)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** Stops writing the file (console logging carries on). */
    @Override
    public void close() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        if (traffic) {
            Logger t = context.getLogger("parley.traffic");
            t.detachAppender(appender);
            t.setAdditive(true);
            t.setLevel(null);
        }
        appender.stop();
    }

    /** Size-and-time rolling that says what total size it keeps rolled files under. */
    static final class CappedPolicy extends SizeAndTimeBasedRollingPolicy<ILoggingEvent> {
        FileSize totalSizeCap() {
            return totalSizeCap;
        }
    }

    /**
     * A rolling file appender whose files are for the server's user alone: the current file is
     * created {@code 0600}, and after each rollover the rolled (compressed) files are made
     * {@code 0600} once compression is done, in a directory that is {@code 0700} meanwhile.
     */
    static final class PrivateAppender extends RollingFileAppender<ILoggingEvent> {
        private final Path dir;

        PrivateAppender(Path dir) {
            this.dir = dir;
        }

        @Override
        public void openFile(String fileName) throws IOException {
            PrivateFiles.file(Path.of(fileName));
            super.openFile(fileName);
        }

        @Override
        public void rollover() {
            super.rollover();
            Future<?> compressing = compression(getRollingPolicy());
            Thread.ofVirtual().name("parley-log-permissions").start(() -> {
                try {
                    if (compressing != null) {
                        compressing.get(60, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException | CancellationException e) {
                    // tighten what is there anyway
                }
                try {
                    PrivateFiles.filesIn(dir, "parley.*", true);
                } catch (IOException e) {
                    addWarn("cannot restrict the rolled log files in " + dir + ": " + e.getMessage());
                }
            });
        }

        /** The compression Logback started for the last rollover, when it can be seen; null otherwise. */
        private static Future<?> compression(Object policy) {
            try {
                Field f = TimeBasedRollingPolicy.class.getDeclaredField("compressionFuture");
                f.setAccessible(true);
                return (Future<?>) f.get(policy);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
