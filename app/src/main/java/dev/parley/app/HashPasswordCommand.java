package dev.parley.app;

import dev.parley.server.service.AccountService;
import dev.parley.server.service.PasswordHasher;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code parley hash-password}: reads a password and prints its Argon2id hash for the config file. */
@Command(name = "hash-password",
        mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = {"Read a password (twice at a terminal, once from a pipe) and print its Argon2id hash,",
                "for an [[operator]] password-hash or the server password (server.password-hash, --server-password-hash)",
                "in the config file. The password is never echoed or stored.",
                "Passwords shorter than " + AccountService.MIN_PASSWORD + " characters are refused."})
public final class HashPasswordCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Console console = System.console();
        String password;
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null || !new String(first).equals(new String(again))) {
                throw new UserFacingException("the passwords differ");
            }
            password = new String(first);
        } else {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.isEmpty()) {
            throw new UserFacingException("no password given", Parley.EXIT_USAGE);
        }
        if (password.length() < AccountService.MIN_PASSWORD) {
            throw new UserFacingException("the password is too short: operator passwords need at least "
                    + AccountService.MIN_PASSWORD + " characters", Parley.EXIT_USAGE);
        }
        spec.commandLine().getOut().println(PasswordHasher.hash(password));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
