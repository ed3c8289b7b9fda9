package dev.parley.app;

import dev.parley.bench.BenchCommand;
import dev.parley.chat.ChatCommand;
import dev.parley.lab.LabCommand;
import dev.parley.scan.ScanCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code parley} command: prints usage when run alone. */
@Command(name = "parley",
        mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = "Parley: an IRC-compatible chat server and the tools around it.",
        subcommands = {ServerCommand.class, ChatCommand.class, LabCommand.class, ScanCommand.class, BenchCommand.class, HashPasswordCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'parley <command> --help' for a command's options."})
public final class Parley implements Callable<Integer> {
    /** Exit code for bad usage (picocli's convention). */
    public static final int EXIT_USAGE = 2;
    /** Exit code when the command could not do its job (port taken, unreadable file…). */
    public static final int EXIT_FAILURE = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** A command line with Parley's exception-to-exit-code mapping, in one place. */
    public static CommandLine commandLine() {
        return withExitCodes(new CommandLine(new Parley()));
    }

    /**
     * {@code parley scan} on its own: the same command without building every other command's
     * options first (the server's alone take a third of a second to set up), so a scan starts sooner.
     */
    public static CommandLine scanCommandLine() {
        return withExitCodes(new CommandLine(new ScanCommand()).setCommandName("parley scan"));
    }

    private static CommandLine withExitCodes(CommandLine cl) {
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof UserFacingException u) {
                err.println("parley: " + u.getMessage());
                return u.exitCode();
            }
            err.println("parley: " + ex);
            ex.printStackTrace(err);
            return EXIT_FAILURE;
        });
        return cl;
    }
}
