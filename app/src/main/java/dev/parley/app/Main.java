package dev.parley.app;

/** Entry point of the {@code parley} jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Parley.commandLine().execute(args));
    }
}
