package dev.parley.chat;

import dev.parley.protocol.Names;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Turns {@link ChatCommand}'s options into {@link ChatSettings}: validates them (a bad value
 * throws {@link IllegalArgumentException} with a one-line reason), fills gaps by asking when
 * there is a terminal, and uses defaults when there is not; {@link #resolveUdp} does the same
 * for {@link UdpSettings}. Runs on the main thread.
 */
final class SettingsResolver {
    static final String DEFAULT_HOST = "127.0.0.1";
    /** Options of IRC mode that {@code --udp} refuses. */
    static final List<String> IRC_ONLY = List.of("--tls", "--tls-insecure", "--tls-fingerprint", "--client-cert",
            "--client-key", "--sasl", "--account", "--password-env",
            "--password-file", "--nickserv-fallback", "--join", "--user", "--realname", "--reconnect-delay", "--reconnect-max-delay",
            "--reconnect-attempts");

    private final ChatCommand o;
    private final Prompter prompter;
    private final UnaryOperator<String> env;

    SettingsResolver(ChatCommand options, Prompter prompter, UnaryOperator<String> env) {
        this.o = options;
        this.prompter = prompter;
        this.env = env;
    }

    ChatSettings resolve() throws Prompter.Cancelled {
        if (o.given("--udp-max-datagram")) {
            throw new IllegalArgumentException("--udp-max-datagram needs --udp");
        }
        int defaultPort = o.tls ? Endpoint.DEFAULT_TLS_PORT : Endpoint.DEFAULT_PORT;
        TlsSettings tls = tls();
        boolean saslExternal = saslExternal(tls);
        if (o.reconnects < 0) {
            throw new IllegalArgumentException("--reconnect-attempts must be 0 or more");
        }
        Path tokenDir = tokenDir();
        Endpoint given = o.server != null ? Endpoint.parse(o.server, defaultPort) : null;
        boolean tokenKept = given != null && tokenDir != null && o.account != null
                && SessionTokens.read(SessionTokens.file(tokenDir, given), o.account) != null;
        ChatSettings.Credentials credentials = tokenKept && o.passwordEnv == null && o.passwordFile == null ? null : credentials();
        Endpoint endpoint = given != null ? given
                : prompter != null ? prompter.endpoint(DEFAULT_HOST, defaultPort) : new Endpoint(DEFAULT_HOST, defaultPort);
        Path tokenFile = tokenDir == null || o.account == null ? null : SessionTokens.file(tokenDir, endpoint);
        String nick = nick();
        if (credentials == null && o.account != null && SessionTokens.read(tokenFile, o.account) == null) {
            credentials = new ChatSettings.Credentials(o.account, prompter.password(o.account));
        }
        String user = Names.sanitizeUser(o.user != null ? o.user : System.getProperty("user.name", nick), 10);
        String realname = o.realname != null && !o.realname.isBlank() ? o.realname : nick;
        ChatSettings s = new ChatSettings(endpoint, nick, user, realname, channels(), credentials, o.nickservFallback,
                saslExternal, tls,
                ChatCommand.seconds(o.connectTimeout, "--connect-timeout"),
                ChatCommand.seconds(o.quitTimeout, "--quit-timeout"),
                ChatCommand.seconds(o.reconnectDelay, "--reconnect-delay"),
                ChatCommand.seconds(o.reconnectMax, "--reconnect-max-delay"), o.reconnects,
                ChatCommand.seconds(o.pingInterval, "--ping-interval"), tokenFile);
        if (s.reconnectMax().compareTo(s.reconnectDelay()) < 0) {
            throw new IllegalArgumentException("--reconnect-max-delay must not be shorter than --reconnect-delay");
        }
        return s;
    }

    /**
     * Settings for {@code --udp HOST:PORT}. The port is required: a UDP door has no usual port.
     * Options that only mean something on IRC are refused rather than ignored.
     */
    UdpSettings resolveUdp() throws Prompter.Cancelled {
        if (o.server != null) {
            throw new IllegalArgumentException("--udp takes the server address itself; leave out '" + o.server + "'");
        }
        List<String> irc = IRC_ONLY.stream().filter(o::given).toList();
        if (!irc.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", irc) + (irc.size() == 1 ? " does" : " do")
                    + " not work with --udp");
        }
        if (!Endpoint.hasPort(o.udp)) {
            throw new IllegalArgumentException("--udp needs HOST:PORT with the port of the server's UDP door, not '"
                    + o.udp + "'");
        }
        Endpoint endpoint = Endpoint.parse(o.udp, Endpoint.DEFAULT_PORT);
        return new UdpSettings(endpoint, nick(),
                ChatCommand.seconds(o.connectTimeout, "--connect-timeout"),
                ChatCommand.seconds(o.quitTimeout, "--quit-timeout"),
                ChatCommand.seconds(o.pingInterval, "--ping-interval"), o.udpMaxDatagram);
    }

    /**
     * {@code --tls} and what goes with it, or null for plain TCP. The client certificate is read
     * here, so a bad file is reported before anything is asked or sent.
     */
    private TlsSettings tls() {
        if (!o.tls) {
            for (String option : List.of("--tls-insecure", "--tls-fingerprint", "--client-cert", "--client-key")) {
                if (o.given(option) || (option.equals("--tls-insecure") && o.tlsInsecure)) {
                    throw new IllegalArgumentException(option + " needs --tls");
                }
            }
            return null;
        }
        if (o.tlsInsecure && o.tlsFingerprint != null) {
            throw new IllegalArgumentException("give --tls-fingerprint or --tls-insecure, not both");
        }
        if (o.clientKey != null && o.clientCert == null) {
            throw new IllegalArgumentException("--client-key needs --client-cert");
        }
        TlsSettings.ServerTrust trust = o.tlsFingerprint != null
                ? new TlsSettings.ServerTrust.Pinned(Fingerprint.parse(o.tlsFingerprint))
                : o.tlsInsecure ? new TlsSettings.ServerTrust.AnyCertificate() : new TlsSettings.ServerTrust.SystemTrust();
        ClientIdentity identity = o.clientCert == null ? null : ClientIdentity.load(o.clientCert, o.clientKey);
        return new TlsSettings(trust, identity);
    }

    /**
     * {@code --sasl}: PLAIN goes with {@code --account}, EXTERNAL with {@code --client-cert}; with
     * neither given, a client certificate and no account mean EXTERNAL.
     */
    private boolean saslExternal(TlsSettings tls) {
        boolean haveCert = tls != null && tls.identity() != null;
        if (o.sasl == null) {
            return haveCert && o.account == null;
        }
        switch (o.sasl.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "plain" -> {
                if (o.account == null) {
                    throw new IllegalArgumentException("--sasl plain needs --account");
                }
                return false;
            }
            case "external" -> {
                if (!haveCert) {
                    throw new IllegalArgumentException("--sasl external needs --tls and --client-cert");
                }
                if (o.account != null) {
                    throw new IllegalArgumentException("--sasl external logs in to the account the certificate is"
                            + " registered to; leave out --account");
                }
                return true;
            }
            default -> throw new IllegalArgumentException("--sasl must be plain or external, not '" + o.sasl + "'");
        }
    }

    /** {@code --nick}, else asked for in a terminal, else made from the login name; always valid. */
    private String nick() throws Prompter.Cancelled {
        String nick = o.nick != null ? o.nick
                : prompter != null ? prompter.nick(ChatCommand.defaultNick()) : ChatCommand.defaultNick();
        if (!Names.isValidNick(nick, Prompter.MAX_NICK)) {
            throw new IllegalArgumentException("'" + nick + "' is not a valid nick");
        }
        return nick;
    }

    /**
     * Where session tokens are kept: {@code --token-dir}, else {@code $XDG_CONFIG_HOME/parley/tokens}
     * (or {@code ~/.config/parley/tokens}); null with {@code --no-session-token}.
     */
    private Path tokenDir() {
        if (o.noSessionToken) {
            return null;
        }
        if (o.tokenDir != null) {
            return o.tokenDir;
        }
        String xdg = env.apply("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("parley").resolve("tokens");
    }

    private ChatSettings.Credentials credentials() {
        if (o.account == null) {
            if (o.passwordEnv != null || o.passwordFile != null) {
                throw new IllegalArgumentException("--password-env and --password-file need --account");
            }
            if (o.nickservFallback) {
                throw new IllegalArgumentException("--nickserv-fallback needs --account");
            }
            return null;
        }
        if (o.passwordEnv != null && o.passwordFile != null) {
            throw new IllegalArgumentException("give --password-env or --password-file, not both");
        }
        if (o.passwordEnv != null) {
            String pw = env.apply(o.passwordEnv);
            if (pw == null || pw.isEmpty()) {
                throw new IllegalArgumentException("environment variable " + o.passwordEnv + " is not set");
            }
            return new ChatSettings.Credentials(o.account, pw);
        }
        if (o.passwordFile != null) {
            return new ChatSettings.Credentials(o.account, o.readPasswordFile());
        }
        if (prompter == null) {
            throw new IllegalArgumentException("--account needs --password-env or --password-file when not on a terminal");
        }
        return null; // asked for once the address and nick are known
    }

    private List<String> channels() {
        List<String> out = new ArrayList<>();
        for (String j : o.joins) {
            String name = j.strip();
            if (name.isEmpty()) {
                continue;
            }
            name = Names.isChannel(name) ? name : "#" + name;
            if (!Names.isValidChannel(name, 200)) {
                throw new IllegalArgumentException("'" + j + "' is not a channel name");
            }
            out.add(name);
        }
        return out;
    }
}
