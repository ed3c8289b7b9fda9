package dev.parley.app;

/** Entry point of the {@code parley} jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("scan")) {
            System.exit(Parley.scanCommandLine().execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(Parley.commandLine().execute(args));
    }
}
