package dev.parley.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The shape every demo shares: say what it is about to show, run bounded in time, print what
 * was measured, then one paragraph on why. With {@code --json} the same content comes out as one
 * JSON object: {@code demo}, {@code shows}, {@code parameters}, {@code machine}, {@code results},
 * {@code why}.
 */
abstract class Demo implements Callable<Integer> {
    /** Exit code for bad input (picocli's convention for usage errors). */
    static final int EXIT_USAGE = 2;
    private static final int WIDTH = 92;

    /** Made on first use: every command line builds the demos' specs, few runs print JSON. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the result as one JSON object instead of text.")
    boolean json;

    /** One line naming the idea, printed as the heading. */
    abstract String title();

    /** What the run is about to show, in a few sentences. */
    abstract String shows();

    /** Checks the options; throws {@link BadInput} with a one-line reason. */
    abstract void validate();

    /** Runs the demo, reporting progress and results into {@code report}. */
    abstract void run(Report report) throws Exception;

    /** Why the measured result came out as it did. May use what {@link #run} measured. */
    abstract String why();

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try {
            validate();
        } catch (BadInput e) {
            spec.commandLine().getErr().println("parley lab " + spec.name() + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        Report report = new Report(json ? null : out);
        Map<String, Object> machine = machine();
        if (!json) {
            out.println("== " + spec.name() + ": " + title() + " ==");
            out.println(wrap(shows(), ""));
            out.println("Settings: " + settings());
            out.println("Machine: " + machine.get("cores") + " cores, load average " + machine.get("loadAverage")
                    + " as the run began");
            out.println();
            out.flush();
        }
        report.stopWatch();
        try {
            run(report);
        } catch (RunFailed e) {
            out.flush();
            spec.commandLine().getErr().println("parley lab " + spec.name() + ": " + e.getMessage());
            return 1;
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("demo", spec.name());
            doc.put("shows", shows());
            doc.put("parameters", parameters());
            doc.put("machine", machine);
            doc.put("results", report.results());
            doc.put("why", why());
            out.println(toJson(doc));
        } else {
            out.println();
            report.printBlocks(out);
            out.println();
            out.println(wrap("Why: " + why(), "     ").stripLeading());
        }
        out.flush();
        return report.exitCode();
    }

    /** The option values of this run, keyed by long option name without dashes. */
    private Map<String, Object> parameters() {
        Map<String, Object> params = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            if (isOwnOption(o)) {
                params.put(o.longestName().replaceFirst("^-+", ""), o.getValue());
            }
        }
        return params;
    }

    private String settings() {
        StringBuilder sb = new StringBuilder();
        for (OptionSpec o : spec.options()) {
            if (isOwnOption(o) && o.getValue() != null) {
                Object v = o.getValue();
                String shown = v instanceof Iterable<?> it ? String.join(",", strings(it)) : String.valueOf(v);
                sb.append(sb.isEmpty() ? "" : " ").append(o.longestName()).append(' ').append(shown);
            }
        }
        return sb.toString();
    }

    /** Cores and the one-minute load average: other work on the machine shows in every timing. */
    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        m.put("loadAverage", load < 0 ? null : Math.round(load * 100) / 100.0);
        return m;
    }

    private static List<String> strings(Iterable<?> it) {
        List<String> list = new ArrayList<>();
        it.forEach(x -> list.add(String.valueOf(x)));
        return list;
    }

    private static boolean isOwnOption(OptionSpec o) {
        return !o.usageHelp() && !o.versionHelp() && !o.longestName().equals("--json");
    }

    static String toJson(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Wraps a paragraph at the terminal width, prefixing continuation lines with {@code indent}. */
    static String wrap(String text, String indent) {
        return wrap(text, indent, 0);
    }

    /** Wraps a paragraph that may start with spaces; they indent every line of it. */
    static String wrapIndented(String text) {
        String lead = text.substring(0, text.length() - text.stripLeading().length());
        return lead + wrap(text.strip(), lead + "  ", lead.length());
    }

    /** As {@link #wrap(String, String)}, for a first line that starts at column {@code firstColumn}. */
    static String wrap(String text, String indent, int firstColumn) {
        StringBuilder out = new StringBuilder();
        int col = firstColumn;
        boolean lineStart = true;
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!lineStart && col + 1 + word.length() > WIDTH) {
                out.append('\n').append(indent);
                col = indent.length();
                lineStart = true;
            }
            if (!lineStart) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
            lineStart = false;
        }
        return out.toString();
    }

    /** Checks that an option lies within its bounds. */
    static void require(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new BadInput(option + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    /** A run that could not finish (out of time, a child process failed): one line, exit code 1. */
    static final class RunFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunFailed(String message) {
            super(message);
        }

        RunFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Bad option values: reported in one line with exit code 2. */
    static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }
    }
}
