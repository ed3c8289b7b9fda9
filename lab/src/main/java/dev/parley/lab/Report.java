package dev.parley.lab;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a demo measured. Tables and values go both to the text output and to JSON; lines said
 * with {@link #say} are text only, progress lines are printed at once (text mode only).
 */
final class Report {
    private final PrintWriter live;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<Object> blocks = new ArrayList<>();
    private int exitCode;
    private long started = System.nanoTime();

    /** {@code live} is where progress goes; {@code null} in JSON mode. */
    Report(PrintWriter live) {
        this.live = live;
    }

    void stopWatch() {
        started = System.nanoTime();
    }

    /** A line printed now, in text mode, so the learner sees the run advance. */
    void progress(String line) {
        if (live != null) {
            live.printf("[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
            live.flush();
        }
    }

    void table(Table t) {
        results.put(t.key(), t.json());
        blocks.add(t);
    }

    /** A result value for JSON (doubles rounded to three decimals). */
    void put(String key, Object value) {
        results.put(key, Table.jsonValue(value));
    }

    /** A sentence of the text result. */
    void say(String line) {
        blocks.add(line);
    }

    /** Marks the run as not having done what it should (exit code 1). */
    void failed() {
        exitCode = 1;
    }

    int exitCode() {
        return exitCode;
    }

    Map<String, Object> results() {
        return results;
    }

    void printBlocks(PrintWriter out) {
        boolean first = true;
        for (Object b : blocks) {
            if (b instanceof Table t) {
                if (!first) {
                    out.println();
                }
                t.print(out);
            } else {
                out.println(Demo.wrapIndented(b.toString()));
            }
            first = false;
        }
    }
}
