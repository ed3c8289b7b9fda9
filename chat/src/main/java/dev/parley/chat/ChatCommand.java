package dev.parley.chat;

import dev.parley.protocol.Names;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parley chat}: the console IRC client. In a terminal it gives a line editor at the
 * bottom with messages arriving above it; with stdin or stdout redirected it reads commands
 * line by line and prints one plain line per event. With {@code --udp} it talks to a Parley
 * server's UDP door ({@link UdpClient}) instead of IRC. Runs the chat loop on the calling thread.
 */
@Command(name = "chat",
        mixinStandardHelpOptions = true,
        versionProvider = ChatCommand.VersionProvider.class,
        description = {"Chat on an IRC server (Parley or any other).",
            "Type text to talk to the current target; /help lists the commands."},
        sortOptions = false)
public final class ChatCommand implements Callable<Integer> {
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST[:PORT]",
            description = "Server to connect to (asked for in a terminal; default 127.0.0.1:6667, 6697 with --tls).")
    String server;

    @Option(names = "--nick", paramLabel = "N", description = "Nick (asked for in a terminal; default: from the login name).")
    String nick;

    @Option(names = "--user", paramLabel = "U", description = "User name (default: the login name).")
    String user;

    @Option(names = "--realname", paramLabel = "R", description = "Real name shown by WHOIS (default: the nick).")
    String realname;

    @Option(names = "--join", paramLabel = "#a,#b", split = ",", description = "Channels to join once connected.")
    List<String> joins = new ArrayList<>();

    @Option(names = "--account", paramLabel = "A",
            description = "Log in to this account with SASL PLAIN (without SASL the password is not sent; see --nickserv-fallback).")
    String account;

    @Option(names = "--nickserv-fallback",
            description = "With --account, when the server offers no SASL PLAIN, send the password to whoever holds"
                    + " the nick NickServ (PRIVMSG NickServ :IDENTIFY). Off by default: without SASL nothing proves"
                    + " that nick is the network's services.")
    boolean nickservFallback;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the account password.")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "F", description = "File whose first line is the account password.")
    Path passwordFile;

    @Option(names = "--token-dir", paramLabel = "DIR",
            description = "Where the session token of each server is kept, one file (mode 0600) per server, so a restart"
                    + " logs in without the password (default: $XDG_CONFIG_HOME/parley/tokens or ~/.config/parley/tokens).")
    Path tokenDir;

    @Option(names = "--no-session-token",
            description = "With --account, neither ask the server for a session token nor use a kept one.")
    boolean noSessionToken;

    @Option(names = "--tls", description = "Connect with TLS.")
    boolean tls;

    @Option(names = "--tls-fingerprint", paramLabel = "SHA256",
            description = "With --tls, accept exactly the server certificate with this SHA-256 fingerprint (hex, colons"
                    + " optional), with no CA or host name check: for self-signed servers.")
    String tlsFingerprint;

    @Option(names = "--tls-insecure",
            description = "With --tls, accept any certificate, checking nothing (warned on every connection);"
                    + " --tls-fingerprint is the safe way to reach a self-signed server.")
    boolean tlsInsecure;

    @Option(names = "--client-cert", paramLabel = "FILE",
            description = "With --tls, present this client certificate (PEM; its key in the same file, or --client-key)."
                    + " Without --account it logs in with SASL EXTERNAL.")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE",
            description = "The private key of --client-cert, when it is in a file of its own (PEM, PKCS#8 or traditional).")
    Path clientKey;

    @Option(names = "--sasl", paramLabel = "MECH",
            description = "SASL mechanism: plain (with --account, the default) or external (the client certificate;"
                    + " the default with --client-cert and no --account).")
    String sasl;

    @Option(names = "--udp", paramLabel = "HOST:PORT",
            description = "Talk to a Parley server's UDP door instead of IRC; the port is required ([::1]:PORT for IPv6).")
    String udp;

    @Option(names = "--udp-max-datagram", paramLabel = "BYTES", defaultValue = "" + UdpSettings.DEFAULT_MAX_DATAGRAM,
            description = "With --udp, refuse typed lines longer than this in UTF-8 (default: ${DEFAULT-VALUE}).")
    int udpMaxDatagram;

    @Option(names = "--plain", description = "Plain line-in, line-out mode even on a terminal.")
    boolean plain;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Limit for one connection attempt; with --udp, for the server's first reply (default: ${DEFAULT-VALUE}).")
    double connectTimeout;

    @Option(names = "--quit-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "After QUIT, wait this long for the server to close (with --udp: for '-- bye') (default: ${DEFAULT-VALUE}).")
    double quitTimeout;

    @Option(names = "--reconnect-delay", paramLabel = "SECONDS", defaultValue = "1",
            description = "First wait before reconnecting; doubles per attempt, with jitter (default: ${DEFAULT-VALUE}).")
    double reconnectDelay;

    @Option(names = "--reconnect-max-delay", paramLabel = "SECONDS", defaultValue = "60",
            description = "Longest wait between reconnect attempts (default: ${DEFAULT-VALUE}).")
    double reconnectMax;

    @Option(names = "--reconnect-attempts", paramLabel = "N", defaultValue = "50",
            description = "Reconnect attempts per outage; 0 never reconnects (default: ${DEFAULT-VALUE}).")
    int reconnects;

    @Option(names = "--ping-interval", paramLabel = "SECONDS", defaultValue = "120",
            description = "Silence after which the client pings the server; twice this and it reconnects."
                    + " With --udp: time without sending after which it sends ping (default: ${DEFAULT-VALUE}).")
    double pingInterval;

    private final InputStream in;
    private final BooleanSupplier isTerminal;
    private final UnaryOperator<String> env;

    public ChatCommand() {
        this(System.in, ChatCommand::systemIsTerminal, System::getenv);
    }

    ChatCommand(InputStream in, BooleanSupplier isTerminal, UnaryOperator<String> env) {
        this.in = in;
        this.isTerminal = isTerminal;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = !plain && isTerminal.getAsBoolean();
        Clock clock = Clock.systemDefaultZone();
        ZoneId zone = ZoneId.systemDefault();
        try (Ui ui = terminal ? TerminalUi.system(clock, zone) : new PlainUi(in, out, zone)) {
            Prompter prompter = ui instanceof TerminalUi t ? new Prompter(t::ask, out) : null;
            SettingsResolver resolver = new SettingsResolver(this, prompter, env);
            ChatSettings settings = null;
            UdpSettings udpSettings = null;
            try {
                if (udp != null) {
                    udpSettings = resolver.resolveUdp();
                } else {
                    settings = resolver.resolve();
                }
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("parley chat: " + e.getMessage());
                return EXIT_USAGE;
            } catch (Prompter.Cancelled e) {
                return 0;
            }
            return udpSettings != null ? new UdpClient(udpSettings, ui, clock).run()
                    : new ChatClient(settings, ui, clock, new Random()).run();
        }
    }

    /** True when {@code option} was given on the command line (not just defaulted). */
    boolean given(String option) {
        return spec != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Reads {@code --password-file}'s first line. */
    String readPasswordFile() {
        try {
            List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new IllegalArgumentException("password file " + passwordFile + " is empty");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read password file " + passwordFile);
        }
    }

    static Duration seconds(double s, String option) {
        if (!(s > 0) || s > 86_400) {
            throw new IllegalArgumentException(option + " must be a number of seconds above 0 (at most a day)");
        }
        return Duration.ofMillis(Math.max(1, Math.round(s * 1000)));
    }

    /** A nick made from the login name, always valid. */
    static String defaultNick() {
        String login = System.getProperty("user.name", "");
        StringBuilder sb = new StringBuilder();
        for (char c : login.toCharArray()) {
            if (Names.isValidNick(sb.toString() + c, 16)) {
                sb.append(c);
            }
        }
        return sb.isEmpty() ? "parley" : sb.toString();
    }

    /** stdin and stdout are a terminal: {@code Console.isTerminal()} where it exists (22+). */
    static boolean systemIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before 22 a console exists only for a terminal
        }
    }

    /** {@code parley chat --version}. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ChatCommand.class.getPackage().getImplementationVersion();
            return new String[] {"Parley chat " + (v == null ? "dev" : v)};
        }
    }
}
