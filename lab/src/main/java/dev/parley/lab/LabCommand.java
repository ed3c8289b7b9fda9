package dev.parley.lab;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parley lab}: lists the demos; {@code parley lab <demo>} runs one. */
@Command(name = "lab",
        mixinStandardHelpOptions = true,
        description = "Runnable, measured demonstrations of the concurrency ideas behind the server.",
        subcommands = {
            RaceDemo.class,
            SemaphoreDemo.class,
            EventDemo.class,
            PhilosophersDemo.class,
            LivelockDemo.class,
            StarvationDemo.class,
            CpuVsIoDemo.class,
            IoModelsDemo.class
        },
        footer = {"", "Run 'parley lab <demo>' to run one, 'parley lab <demo> --help' for its options."})
public final class LabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "List the demos as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, String>> demos = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            String[] desc = e.getValue().getCommandSpec().usageMessage().description();
            Map<String, String> d = new LinkedHashMap<>();
            d.put("name", e.getKey());
            d.put("description", desc.length == 0 ? "" : desc[0]);
            demos.add(d);
        }
        if (json) {
            out.println(Demo.toJson(Map.of("demos", demos)));
            return 0;
        }
        out.println("Parley lab: each demo shows a concurrency effect happening on this machine,");
        out.println("measures it, and explains why. Demos:");
        out.println();
        int width = demos.stream().mapToInt(d -> d.get("name").length()).max().orElse(0);
        for (Map<String, String> d : demos) {
            String name = d.get("name");
            String pad = " ".repeat(width - name.length() + 2);
            out.println("  " + name + pad + Demo.wrap(d.get("description"), " ".repeat(width + 4), width + 4));
        }
        out.println();
        out.println("Run 'parley lab <demo> [options]'; 'parley lab <demo> --help' lists its options;");
        out.println("--json prints a demo's numbers as JSON.");
        out.flush();
        return 0;
    }
}
