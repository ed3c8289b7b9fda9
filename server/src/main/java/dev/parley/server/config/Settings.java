package dev.parley.server.config;

import static dev.parley.server.config.Setting.Doc.CLUSTER;
import static dev.parley.server.config.Setting.Doc.LIMITS;
import static dev.parley.server.config.Setting.Doc.LOG;
import static dev.parley.server.config.Setting.Doc.NONE;
import static dev.parley.server.config.Setting.Doc.OPTIONS;
import static dev.parley.server.config.Setting.Doc.UDP;
import static dev.parley.server.config.Setting.Type.ADDRESSES;
import static dev.parley.server.config.Setting.Type.BOOL;
import static dev.parley.server.config.Setting.Type.DAYS;
import static dev.parley.server.config.Setting.Type.ENGINE;
import static dev.parley.server.config.Setting.Type.INT;
import static dev.parley.server.config.Setting.Type.PATH;
import static dev.parley.server.config.Setting.Type.SECONDS;
import static dev.parley.server.config.Setting.Type.TEXT;

import dev.parley.server.config.ServerConfig.Builder;
import java.util.List;
import java.util.stream.Stream;

/**
 * The table of every setting of {@code parley server}, in the order {@code --help} lists them.
 * The command-line options, the config file's keys, the sample file {@code parley.example.toml}
 * and the README's option tables are all made from it; defaults come from
 * {@link ServerConfig.Builder}.
 */
public final class Settings {
    /** Every setting, in {@code --help} order. */
    public static final List<Setting> ALL = Stream.of(
            option("-c", "--config").label("FILE").own(PATH, null).docDefault("none")
                    .help("Read settings from a TOML file (see parley.example.toml); options given here win. REHASH re-reads it.")
                    .doc(OPTIONS, "read settings from a TOML file first"),
            option("--host").label("H").file("server", "host")
                    .value(TEXT, ServerConfig::host, Builder::host)
                    .help("Address to listen on (default: ${DEFAULT-VALUE}, every interface).")
                    .doc(OPTIONS, "address to listen on"),
            option("-p", "--port").label("P").file("server", "port")
                    .value(INT, ServerConfig::port, Builder::port)
                    .help("Port of the plain (unencrypted) listener; -1 turns it off, 0 takes any free port (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "plain listener's port; `-1` turns it off, `0` takes any free port"),
            option("--port-attempts").label("N").file("server", "port-attempts")
                    .value(INT, ServerConfig::portAttempts, Builder::portAttempts)
                    .help("When the port is taken, try this many ports upward in all (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "when the port is taken, try the next ports, this many in all"),
            option("--tls-port").label("P").file("tls", "port")
                    .value(INT, ServerConfig::tlsPort, Builder::tlsPort)
                    .help("Port of the TLS listener; -1 turns it off, 0 takes any free port (default: ${DEFAULT-VALUE}). Without --tls-cert it serves a self-signed certificate made in the data directory.")
                    .doc(OPTIONS, "TLS listener's port; `-1` turns it off, `0` takes any free port"),
            option("--tls-cert").label("FILE").file("tls", "cert")
                    .value(PATH, ServerConfig::tlsCert, Builder::tlsCert)
                    .docDefault("self-signed, made in `<data-dir>`").sample("\"fullchain.pem\"")
                    .help("TLS certificate chain, PEM, the server's certificate first (default: a self-signed one made in the data directory). REHASH reloads it.")
                    .doc(OPTIONS, "certificate chain (PEM); without it a self-signed one is made and kept in the data directory"),
            option("--tls-key").label("FILE").file("tls", "key")
                    .value(PATH, ServerConfig::tlsKey, Builder::tlsKey)
                    .docDefault("with the self-signed certificate").sample("\"privkey.pem\"")
                    .help("Private key of --tls-cert, PEM (PKCS#8, or traditional RSA or EC). REHASH reloads it.")
                    .doc(OPTIONS, "the certificate's private key (PEM: PKCS#8, RSA or EC)"),
            option("--sts-duration").label("SECONDS").file("tls", "sts-duration")
                    .value(INT, ServerConfig::stsDuration, Builder::stsDuration).docDefault("`0` (off)")
                    .help("Advertise an IRCv3 STS policy: clients that see it reconnect over TLS and insist on it for this many seconds; 0 is off (default: ${DEFAULT-VALUE}). Only with a certificate clients trust: a client holding the policy refuses a self-signed certificate, so do not use it with the generated one.")
                    .doc(OPTIONS, "IRCv3 STS: seconds clients insist on TLS; `0` is off; never with a self-signed certificate"),
            option("--sts-preload").file("tls", "sts-preload")
                    .value(BOOL, ServerConfig::stsPreload, Builder::stsPreload).docDefault("off")
                    .help("Say in the STS policy that clients may ship it preloaded.")
                    .doc(OPTIONS, "the STS policy allows clients to preload it"),
            option("--proxy-port").label("P").file("proxy", "port")
                    .value(INT, ServerConfig::proxyPort, Builder::proxyPort).docDefault("off").sample("6670")
                    .help("A plain listener for connections from a proxy (HAProxy, nginx…) that start with a PROXY protocol header, v1 or v2; the client's address is taken from it. Off unless given; 0 takes any free port.")
                    .doc(OPTIONS, "plain listener whose connections start with a PROXY protocol header (v1 or v2)"),
            option("--proxy-tls").file("proxy", "tls")
                    .value(BOOL, ServerConfig::proxyTls, Builder::proxyTls).docDefault("off")
                    .help("The TLS listener's connections start with a PROXY protocol header, before the TLS handshake.")
                    .doc(OPTIONS, "the TLS listener's connections start with a PROXY header, before TLS"),
            option("--proxy-from").label("CIDR").file("proxy", "from")
                    .value(ADDRESSES, ServerConfig::proxyFrom, Builder::proxyFrom)
                    .help("Addresses or CIDR blocks a PROXY listener accepts connections from; others are closed (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "where a PROXY listener accepts connections from; others are closed"),
            option("--http-port").label("P").file("http", "port")
                    .value(INT, ServerConfig::httpPort, Builder::httpPort).docDefault("off").sample("8080")
                    .help("An HTTP listener: the web chat page at /, IRC over WebSocket at /irc, /metrics, /healthz and /readyz. Off unless given (8080 is usual); 0 takes any free port.")
                    .doc(OPTIONS, "HTTP listener: web chat page `/`, WebSocket `/irc`, `/metrics`, `/healthz`, `/readyz`"),
            option("--https-port").label("P").file("http", "https-port")
                    .value(INT, ServerConfig::httpsPort, Builder::httpsPort).docDefault("off").sample("8443")
                    .help("The same over HTTPS, with the TLS certificate (--tls-cert, or the self-signed one). Off unless given.")
                    .doc(OPTIONS, "HTTPS listener with the TLS certificate (the page over https, WebSocket over wss)"),
            option("--http-host").label("ADDR").file("http", "host")
                    .value(TEXT, ServerConfig::httpHost, Builder::httpHost).docDefault("the IRC `--host`")
                    .help("Address the HTTP and HTTPS listeners bind (default: the IRC --host).")
                    .doc(OPTIONS, "address the HTTP and HTTPS listeners bind"),
            option("--http-origins").label("ORIGINS").file("http", "origins")
                    .value(TEXT, ServerConfig::httpOrigins, Builder::httpOrigins).docDefault("the page's own")
                    .help("Origins (comma-separated, e.g. https://chat.example.org) whose pages may open IRC WebSockets, besides the server's own page; * for any. Clients that send no Origin (not browsers) are let in.")
                    .doc(OPTIONS, "other origins whose pages may open IRC WebSockets (`*`: any); the server's own page always may"),
            option("--http-proxy-from").label("CIDR").file("http", "proxy-from")
                    .value(ADDRESSES, ServerConfig::httpProxyFrom, Builder::httpProxyFrom)
                    .help("Reverse proxies whose X-Forwarded-For header names the client's address (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "reverse proxies trusted to name the client's address in `X-Forwarded-For`"),
            option("--metrics-port").label("P").file("http", "metrics-port")
                    .value(INT, ServerConfig::metricsPort, Builder::metricsPort).docDefault("on the HTTP port").sample("9090")
                    .help("Serve /metrics (and the health endpoints) on a listener of its own, e.g. on an address only the monitoring network reaches; then the HTTP listener does not serve /metrics.")
                    .doc(OPTIONS, "a listener of its own for `/metrics`, `/healthz`, `/readyz` (then not on the HTTP port)"),
            option("--metrics-host").label("ADDR").file("http", "metrics-host")
                    .value(TEXT, ServerConfig::metricsHost, Builder::metricsHost).docDefault("the HTTP host")
                    .help("Address the metrics listener binds.")
                    .doc(OPTIONS, "address the metrics listener binds"),
            option("--engine").label("E").file("server", "engine")
                    .value(ENGINE, ServerConfig::engine, Builder::engine)
                    .help("I/O engine: virtual (a virtual thread per client), threads (a platform thread per client) or nio (selector loops). Default: ${DEFAULT-VALUE}.")
                    .doc(OPTIONS, "`virtual`, `threads` or `nio` (see *Engines*)"),
            option("--nio-loops").label("N").file("server", "nio-loops")
                    .value(INT, ServerConfig::nioLoops, Builder::nioLoops)
                    .help("Selector loops for the nio engine; 0 means one per core (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "selector loops for `nio`; `0` is one per core"),
            option("--data-dir").label("DIR").file("server", "data-dir")
                    .value(PATH, ServerConfig::dataDir, Builder::dataDir).docDefault("`./parley-data`")
                    .help("Where the server keeps its data (default: ./${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "where the server keeps its data"),
            option("--name").label("NAME").file("server", "name")
                    .value(TEXT, ServerConfig::serverName, Builder::serverName)
                    .help("Server name shown to clients (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "server name shown to clients"),
            option("--network").label("NAME").file("server", "network")
                    .value(TEXT, ServerConfig::networkName, Builder::networkName)
                    .help("Network name shown to clients (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "network name (ISUPPORT `NETWORK`)"),
            option("--utf8-only").file("server", "utf8-only")
                    .value(BOOL, ServerConfig::utf8Only, Builder::utf8Only).docDefault("off")
                    .help("Accept only UTF-8: a line with invalid UTF-8 is refused (FAIL <command> INVALID_UTF8) and not processed, and ISUPPORT says UTF8ONLY. Off, invalid sequences are read as U+FFFD.")
                    .doc(OPTIONS, "refuse lines that are not valid UTF-8 (`FAIL … INVALID_UTF8`; ISUPPORT `UTF8ONLY`); off, they are read with U+FFFD"),
            option("--motd-file").label("F").file("server", "motd-file")
                    .value(PATH, ServerConfig::motdFile, Builder::motdFile)
                    .docDefault("`<data-dir>/motd.txt` if present").sample("\"motd.txt\"")
                    .help("Message of the day, one line per line (default: <data-dir>/motd.txt if it exists).")
                    .doc(OPTIONS, "message of the day; without one clients get 422"),
            file("admin", "location").value(TEXT, ServerConfig::adminLocation, Builder::adminLocation)
                    .sample("\"Somewhere on the Internet\"")
                    .doc(NONE, "where the server is, shown by ADMIN"),
            file("admin", "email").value(TEXT, ServerConfig::adminEmail, Builder::adminEmail)
                    .sample("\"admin@example.org\"")
                    .doc(NONE, "whom to write to, shown by ADMIN"),
            option("--max-connections").label("N").file("limits", "max-connections")
                    .value(INT, ServerConfig::maxConnections, Builder::maxConnections)
                    .help("Connections held at once; more are told to try later (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "connections at once; a newcomer past it gets `ERROR` and is closed"),
            option("--max-connections-per-address").label("N").file("limits", "max-connections-per-address")
                    .value(INT, ServerConfig::maxConnectionsPerAddress, Builder::maxConnectionsPerAddress)
                    .help("Connections from one address; trusted addresses are excused (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "connections from one address (trusted addresses excused)"),
            option("--trusted").label("CIDR").file("limits", "trusted")
                    .value(ADDRESSES, ServerConfig::trustedAddresses, Builder::trustedAddresses)
                    .help("Addresses or CIDR blocks excused from the per-address limit and from flood control; 'none' for none (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "excused from the per-address limit and from flood control; [] for none"),
            option("--connect-rate").label("N").file("limits", "connect-rate")
                    .value(INT, ServerConfig::connectRate, Builder::connectRate)
                    .help("New connections one address (IPv6: one --ipv6-group network) may open per --connect-window; trusted addresses are excused (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "new connections one address (IPv6: one `--ipv6-group` network) may open per `--connect-window` (trusted addresses excused)"),
            option("--connect-window").label("SECONDS").file("limits", "connect-window")
                    .value(SECONDS, ServerConfig::connectWindow, Builder::connectWindow)
                    .help("The window --connect-rate counts in (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "the window `--connect-rate` and `--range-connect-rate` count in"),
            option("--ipv6-group").label("BITS").file("limits", "ipv6-group")
                    .value(INT, ServerConfig::ipv6Group, Builder::ipv6Group)
                    .help("The prefix length an IPv6 address counts by in the per-address limits (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "the IPv6 prefix length one \"address\" stands for in the per-address limits (one user usually holds a /64)"),
            option("--range-connect-rate").label("N").file("limits", "range-connect-rate")
                    .value(INT, ServerConfig::rangeConnectRate, Builder::rangeConnectRate)
                    .help("New connections one range (--range-ipv4-prefix, --range-ipv6-prefix) may open per --connect-window; 0 for no range limit; trusted addresses are excused (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "new connections one range may open per `--connect-window`, whatever addresses in it they come from; 0: no range limit"),
            option("--range-ipv4-prefix").label("BITS").file("limits", "range-ipv4-prefix")
                    .value(INT, ServerConfig::rangeIpv4Prefix, Builder::rangeIpv4Prefix)
                    .help("The IPv4 range --range-connect-rate counts by (default: /${DEFAULT-VALUE}).")
                    .doc(LIMITS, "the IPv4 range `--range-connect-rate` counts by, as a prefix length"),
            option("--range-ipv6-prefix").label("BITS").file("limits", "range-ipv6-prefix")
                    .value(INT, ServerConfig::rangeIpv6Prefix, Builder::rangeIpv6Prefix)
                    .help("The IPv6 range --range-connect-rate counts by (default: /${DEFAULT-VALUE}).")
                    .doc(LIMITS, "the IPv6 range `--range-connect-rate` counts by, as a prefix length"),
            option("--no-cloak").file("server", "cloak")
                    .value(BOOL, ServerConfig::cloak, Builder::cloak).docDefault("off")
                    .note("other users see a keyed-hash cloak instead of a client's address")
                    .help("Show every user's real address to everyone instead of a cloak.")
                    .doc(OPTIONS, "show real addresses to everyone instead of cloaks"),
            option("--cloak-suffix").label("TEXT").file("server", "cloak-suffix")
                    .value(TEXT, ServerConfig::cloakSuffix, Builder::cloakSuffix)
                    .help("The last part of every cloak (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "the last part of every cloak, as in `kq7vr2md.b7xw4hzc.pany6t3e.ip`"),
            option("--flood-burst").label("N").file("limits", "flood-burst")
                    .value(INT, ServerConfig::floodBurst, Builder::floodBurst)
                    .help("Commands a client may send at once before its commands are paced (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "commands a client may send at once before its commands are paced"),
            option("--flood-rate").label("N").file("limits", "flood-rate")
                    .value(INT, ServerConfig::floodRate, Builder::floodRate)
                    .help("Commands a second a client is served once its burst is spent; the rest wait (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "commands a second a client is served once its burst is spent"),
            option("--recvq").label("BYTES").file("limits", "recvq")
                    .value(INT, ServerConfig::recvQBytes, Builder::recvQBytes)
                    .help("Waiting input a client may have before it is dropped with 'Excess Flood' (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "bytes of waiting input past which a client is dropped (Excess Flood)"),
            option("--max-targets").label("N").file("limits", "max-targets")
                    .value(INT, ServerConfig::maxTargets, Builder::maxTargets)
                    .help("Targets one PRIVMSG/NOTICE/TAGMSG/WHOIS may name (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "targets per PRIVMSG/NOTICE/TAGMSG/WHOIS"),
            option("--channel-length").label("N").file("limits", "channel-length")
                    .value(INT, ServerConfig::channelLength, Builder::channelLength)
                    .help("Longest channel name (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "longest channel name"),
            option("--topic-length").label("N").file("limits", "topic-length")
                    .value(INT, ServerConfig::topicLength, Builder::topicLength)
                    .help("Longest topic; longer ones are cut (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "longest topic; longer ones are cut"),
            option("--kick-length").label("N").file("limits", "kick-length")
                    .value(INT, ServerConfig::kickLength, Builder::kickLength)
                    .help("Longest kick reason; longer ones are cut (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "longest kick reason; longer ones are cut"),
            option("--away-length").label("N").file("limits", "away-length")
                    .value(INT, ServerConfig::awayLength, Builder::awayLength)
                    .help("Longest away message; longer ones are cut (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "longest away message; longer ones are cut"),
            file("limits", "user-length").value(INT, ServerConfig::userLength, Builder::userLength)
                    .doc(LIMITS, "longest user name; longer ones are cut"),
            file("limits", "modes-per-command").value(INT, ServerConfig::modesPerCommand, Builder::modesPerCommand)
                    .doc(LIMITS, "parameter modes per MODE command"),
            file("limits", "max-list-entries").value(INT, ServerConfig::maxListEntries, Builder::maxListEntries)
                    .doc(LIMITS, "entries in a channel's ban or invite-exception list (ISUPPORT `MAXLIST`)"),
            option("--monitor-limit").label("N").file("limits", "monitor-limit")
                    .value(INT, ServerConfig::monitorLimit, Builder::monitorLimit)
                    .help("Nicks one client may watch with MONITOR (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "nicks one client may watch with `MONITOR` (ISUPPORT `MONITOR`)"),
            option("--multiline-max-bytes").label("BYTES").file("limits", "multiline-max-bytes")
                    .value(INT, ServerConfig::multilineMaxBytes, Builder::multilineMaxBytes)
                    .help("Bytes of text one draft/multiline message may carry, line feeds included (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "bytes of text in one `draft/multiline` message (cap value `max-bytes`)"),
            option("--multiline-max-lines").label("N").file("limits", "multiline-max-lines")
                    .value(INT, ServerConfig::multilineMaxLines, Builder::multilineMaxLines)
                    .help("Lines one draft/multiline message may carry (default: ${DEFAULT-VALUE}).")
                    .doc(LIMITS, "lines in one `draft/multiline` message (cap value `max-lines`)"),
            file("limits", "whowas").value(INT, ServerConfig::whowasSize, Builder::whowasSize)
                    .doc(NONE, "nicks remembered for WHOWAS"),
            option("--sendq").label("BYTES").file("limits", "sendq")
                    .value(INT, ServerConfig::sendQBytes, Builder::sendQBytes)
                    .help("Output a client may have waiting before it is dropped (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "output a client may have waiting; past it the client is dropped with `SendQ exceeded`"),
            option("--ping-interval").label("SECONDS").file("limits", "ping-interval")
                    .value(SECONDS, ServerConfig::pingInterval, Builder::pingInterval)
                    .help("Idle time before the server pings a client (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "idle seconds before the server sends `PING`"),
            option("--ping-timeout").label("SECONDS").file("limits", "ping-timeout")
                    .value(SECONDS, ServerConfig::pingTimeout, Builder::pingTimeout)
                    .help("Time a client has to answer a ping (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "seconds to answer that `PING` before `Ping timeout`"),
            option("--registration-timeout").label("SECONDS").file("limits", "registration-timeout")
                    .value(SECONDS, ServerConfig::registrationTimeout, Builder::registrationTimeout)
                    .help("Time a new connection has to register (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "seconds a new connection has to finish `NICK`/`USER`"),
            option("--max-channels").label("N").file("limits", "max-channels")
                    .value(INT, ServerConfig::maxChannelsPerUser, Builder::maxChannelsPerUser)
                    .help("Channels one user may be in (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "channels one user may be in (ISUPPORT `CHANLIMIT`)"),
            option("--store").label("STORE").file("accounts", "store")
                    .value(TEXT, ServerConfig::storeShown, Builder::store)
                    .help("Where accounts and history live: sqlite (a file in the data dir), memory (lost on exit), or a PostgreSQL database, postgresql://user@host:5432/database (password from --store-password-file or PARLEY_STORE_PASSWORD). Default: ${DEFAULT-VALUE}.")
                    .doc(OPTIONS, "`sqlite` (`<data-dir>/parley.db`), `memory`, or `postgresql://user@host:5432/database` (see *PostgreSQL*)"),
            option("--store-password-file").label("FILE").file("accounts", "store-password-file")
                    .value(PATH, ServerConfig::storePasswordFile, Builder::storePasswordFile).docDefault("none")
                    .sample("\"store-password.txt\"")
                    .help("File whose first line is the PostgreSQL password (default: $PARLEY_STORE_PASSWORD, else the URL's). Keep it readable by the server's user alone.")
                    .doc(OPTIONS, "file whose first line is the PostgreSQL password; else `$PARLEY_STORE_PASSWORD`, else the URL's"),
            option("--store-pool-size").label("N").file("accounts", "store-pool-size")
                    .value(INT, ServerConfig::storePoolSize, Builder::storePoolSize)
                    .help("Database connections the server keeps open, SQLite file or PostgreSQL; memory uses one (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "database connections kept open (SQLite file or PostgreSQL)"),
            option("--no-history").file("history", "enabled")
                    .value(BOOL, ServerConfig::historyEnabled, Builder::historyEnabled).docDefault("off")
                    .note("store channel and private messages for replay, CHATHISTORY and REDACT")
                    .help("Store no message history: no replay on JOIN, no CHATHISTORY, no REDACT (draft/chathistory and draft/message-redaction are not offered).")
                    .doc(OPTIONS, "store no message history (no replay, `CHATHISTORY` or `REDACT`)"),
            option("--history-replay").label("N").file("history", "replay")
                    .value(INT, ServerConfig::historyReplay, Builder::historyReplay)
                    .help("Lines of channel history replayed on JOIN; 0 turns replay off (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "channel lines replayed on JOIN; `0` turns replay off"),
            option("--history-keep").label("N").file("history", "keep")
                    .value(INT, ServerConfig::historyKeepPerTarget, Builder::historyKeepPerTarget)
                    .help("Messages kept per channel or conversation; 0 keeps all (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "messages kept per channel or conversation; `0` keeps all"),
            option("--history-max-age").label("DAYS").file("history", "max-age-days")
                    .value(DAYS, ServerConfig::historyMaxAge, Builder::historyMaxAge)
                    .help("Delete history older than this many days; 0 keeps it (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "delete older history; `0` keeps it"),
            option("--history-max-total").label("N").file("history", "max-total")
                    .value(INT, ServerConfig::historyMaxTotal, Builder::historyMaxTotal)
                    .help("Messages kept in all, every channel and conversation together; the oldest go first; 0 keeps all (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "messages kept in all; the oldest go first; `0` keeps all"),
            option("--redact-window").label("SECONDS").file("history", "redact-window")
                    .value(INT, c -> (int) Math.min(Integer.MAX_VALUE, c.redactWindow().toSeconds()),
                            (b, v) -> b.redactWindow(java.time.Duration.ofSeconds((Integer) v))).docDefault("`0` (no limit)")
                    .help("How long after sending users may still REDACT their own messages; channel and server operators may at any time; 0 is no limit (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "seconds a user may REDACT their own message; operators are not limited; `0` is no limit"),
            option("--history-tagmsg").label("TAGS").file("history", "tagmsg")
                    .value(TEXT, ServerConfig::historyTagmsg, Builder::historyTagmsg)
                    .help("Client-only tags, comma-separated, that make a TAGMSG worth storing in history and replaying (reactions); none stores no TAGMSG (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "client-only tags that make a `TAGMSG` stored and replayed (reactions); `none` for none"),
            option("--nick-protection-grace").label("SECONDS").file("accounts", "nick-protection-grace")
                    .value(SECONDS, ServerConfig::nickProtectionGrace, Builder::nickProtectionGrace)
                    .help("Time to identify before someone using a registered nick is renamed (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "seconds to identify before a registered nick is taken back"),
            option("--login-attempts").label("N").file("accounts", "login-attempts")
                    .value(INT, ServerConfig::loginMaxFailures, Builder::loginMaxFailures)
                    .help("Failed logins from one address, or from one address to one account, before logins are refused for a while (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "failed logins from one address, or from one address to one account, before a lockout"),
            option("--login-attempts-per-account").label("N").file("accounts", "login-attempts-per-account")
                    .value(INT, ServerConfig::loginMaxFailuresPerAccount, Builder::loginMaxFailuresPerAccount)
                    .help("Failed logins to one account from all addresses together before that account is locked for a while (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "failed logins to one account from all addresses together before that account's lockout"),
            option("--login-lockout").label("SECONDS").file("accounts", "login-lockout")
                    .value(SECONDS, ServerConfig::loginLockout, Builder::loginLockout)
                    .help("First lockout after too many failed logins; doubles with each further failure (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "first lockout; doubles with each further failure"),
            option("--hashing-threads").label("N").file("accounts", "hashing-threads")
                    .value(INT, ServerConfig::hashingThreads, Builder::hashingThreads)
                    .help("Threads hashing passwords at once, server-wide; 0 is one per core (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "threads hashing passwords (Argon2) at once, server-wide; `0` is one per core"),
            option("--hashing-queue").label("N").file("accounts", "hashing-queue")
                    .value(INT, ServerConfig::hashingQueue, Builder::hashingQueue)
                    .help("Password checks that may wait for a hashing thread; past it clients are told to try again later (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "password checks that may wait for a hashing thread; past it the client is told to try again later"),
            option("--accounts-per-address").label("N").file("accounts", "accounts-per-address")
                    .value(INT, ServerConfig::accountsPerAddress, Builder::accountsPerAddress)
                    .help("Accounts one address may register per --account-window (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "accounts one address may register per `--account-window`"),
            option("--account-window").label("SECONDS").file("accounts", "account-window")
                    .value(SECONDS, ServerConfig::accountWindow, Builder::accountWindow)
                    .help("The window --accounts-per-address counts in (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "the window `--accounts-per-address` counts in"),
            option("--scram-iterations").label("N").file("accounts", "scram-iterations")
                    .value(INT, ServerConfig::scramIterations, Builder::scramIterations)
                    .help("PBKDF2 iterations of the SCRAM-SHA-256 verifiers stored when a password is set; at least 4096 (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "PBKDF2 iterations of the SCRAM-SHA-256 verifier stored when a password is set (at least 4096, RFC 7677); clients repeat them at each SCRAM login"),
            option("--certs-per-account").label("N").file("accounts", "certs-per-account")
                    .value(INT, ServerConfig::certsPerAccount, Builder::certsPerAccount)
                    .help("Client certificate fingerprints one account may bind with NickServ CERT ADD; 0 turns it off (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "client certificate fingerprints one account may bind (`NickServ CERT ADD`), for SASL EXTERNAL; `0` turns it off"),
            option("--channels-per-account").label("N").file("accounts", "channels-per-account")
                    .value(INT, ServerConfig::channelsPerAccount, Builder::channelsPerAccount)
                    .help("Channels one account may register with ChanServ as founder; 0 turns channel registration off (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "channels one account may register (`ChanServ REGISTER`) as founder; `0` turns channel registration off"),
            option("--channel-access-max").label("N").file("accounts", "channel-access-max")
                    .value(INT, ServerConfig::channelAccessMax, Builder::channelAccessMax)
                    .help("Accounts one registered channel's access list may hold (ChanServ ACCESS ADD) (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "accounts one registered channel's access list may hold (`ChanServ ACCESS ADD`)"),
            option("--min-password-length").label("N").file("accounts", "min-password-length")
                    .value(INT, ServerConfig::minPasswordLength, Builder::minPasswordLength)
                    .help("Shortest password an account may have; shorter ones are refused (FAIL REGISTER WEAK_PASSWORD) (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "shortest account password; REGISTER answers `FAIL REGISTER WEAK_PASSWORD`, NickServ says how long"),
            option("--email-required").file("accounts", "email-required")
                    .value(BOOL, ServerConfig::emailRequired, Builder::emailRequired).docDefault("off")
                    .help("A new account needs a valid e-mail address (draft/account-registration email-required; FAIL REGISTER INVALID_EMAIL without one).")
                    .doc(OPTIONS, "a new account needs an e-mail address (cap value `email-required`; else `FAIL REGISTER INVALID_EMAIL`)"),
            option("--no-register-before-connect").file("accounts", "register-before-connect")
                    .value(BOOL, ServerConfig::registerBeforeConnect, Builder::registerBeforeConnect).docDefault("off")
                    .note("REGISTER is served before connection registration completes")
                    .help("Serve REGISTER only after connection registration (FAIL REGISTER COMPLETE_CONNECTION_REQUIRED before it); on by default (cap value before-connect).")
                    .doc(OPTIONS, "serve REGISTER only once connected (`FAIL REGISTER COMPLETE_CONNECTION_REQUIRED` before); on, the cap value says `before-connect`"),
            option("--no-custom-account-name").file("accounts", "custom-account-name")
                    .value(BOOL, ServerConfig::customAccountName, Builder::customAccountName).docDefault("off")
                    .note("REGISTER may name an account other than the current nick")
                    .help("REGISTER must name the current nick (FAIL REGISTER ACCOUNT_NAME_MUST_BE_NICK otherwise); on by default (cap value custom-account-name).")
                    .doc(OPTIONS, "REGISTER must name the current nick (`FAIL REGISTER ACCOUNT_NAME_MUST_BE_NICK`); on, the cap value says `custom-account-name`"),
            option("--server-password-hash").label("HASH").file("server", "password-hash")
                    .value(TEXT, ServerConfig::serverPasswordHash, Builder::serverPasswordHash)
                    .docDefault("none").sample("\"$argon2id$v=19$m=19456,t=2,p=1$...\"")
                    .help("Argon2id hash (from parley hash-password) of the password every client must send with PASS before registering; a wrong or missing one gets 464 and is disconnected. Off unless given.")
                    .doc(OPTIONS, "hash (`parley hash-password`) of the connection password every client sends with `PASS`; wrong or missing: `464` and `ERROR`"),
            option("--token-lifetime").label("DAYS").file("accounts", "token-lifetime-days")
                    .value(DAYS, ServerConfig::tokenLifetime, Builder::tokenLifetime)
                    .help("Days a session token (NickServ TOKENS NEW, SASL IRCV3BEARER) logs in after it is issued; 0 turns tokens off (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "days a session token logs in after it is issued; `0` turns tokens off"),
            option("--tokens-per-account").label("N").file("accounts", "tokens-per-account")
                    .value(INT, ServerConfig::tokensPerAccount, Builder::tokensPerAccount)
                    .help("Session tokens one account may hold; a new one past it revokes the oldest (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "session tokens one account may hold; a new one past it revokes the oldest"),
            option("--no-remember-hosts").file("accounts", "remember-hosts")
                    .value(BOOL, ServerConfig::rememberHosts, Builder::rememberHosts).docDefault("off")
                    .note("greet a returning address by its last nick")
                    .help("Do not remember the last nick seen from each address (no 'Welcome back' greeting).")
                    .doc(OPTIONS, "do not greet returning addresses by name"),
            file("accounts", "remember-hosts-max").value(INT, ServerConfig::rememberHostsMax, Builder::rememberHostsMax)
                    .doc(NONE, "addresses remembered at most; the longest unseen are forgotten first"),
            option("--nick-length").label("N").file("limits", "nick-length")
                    .value(INT, ServerConfig::nickLength, Builder::nickLength)
                    .help("Longest nickname (default: ${DEFAULT-VALUE}).")
                    .doc(OPTIONS, "longest nick (ISUPPORT `NICKLEN`)"),
            option("--shutdown-grace").label("SECONDS")
                    .value(SECONDS, ServerConfig::shutdownGrace, Builder::shutdownGrace)
                    .help("On shutdown, time clients get to receive what is queued for them before they are cut off (default: ${DEFAULT-VALUE}).")
                    .doc(LOG, "on shutdown, time clients get to receive what is queued before they are cut off"),
            option("--cluster").label("URLS").file("cluster", "nats")
                    .value(TEXT, c -> c.cluster().urls(), (b, v) -> b.cluster(b.cluster().withUrls(v)))
                    .docDefault("off").sample("\"nats://10.0.0.1:4222,nats://10.0.0.2:4222,nats://10.0.0.3:4222\"")
                    .help("Join a network of Parley nodes through these NATS servers (comma-separated nats:// URLs, JetStream on); every node sees the same users, channels and messages. Off unless given.")
                    .doc(CLUSTER, "NATS servers (JetStream) this node shares the network through; comma-separated `nats://` URLs"),
            option("--node-name").label("NAME").file("cluster", "node-name")
                    .value(TEXT, c -> c.cluster().nodeName(), (b, v) -> b.cluster(b.cluster().withNodeName(v)))
                    .docDefault("the server name's first label").sample("\"node1\"")
                    .help("This node's name, unique in the network; peers see it in the QUIT of users when the node is lost.")
                    .doc(CLUSTER, "this node's name, unique in the network (letters, digits, `-`, `_`)"),
            option("--cluster-lease").label("SECONDS").file("cluster", "lease")
                    .value(SECONDS, c -> c.cluster().lease(), (b, v) -> b.cluster(b.cluster().withLease(v)))
                    .help("A node not heard from for this long is lost: the other nodes remove its users (default: ${DEFAULT-VALUE}).")
                    .doc(CLUSTER, "silence after which a node is lost and its users removed"),
            option("--cluster-replicas").label("N").file("cluster", "replicas")
                    .value(INT, c -> c.cluster().replicas(), (b, v) -> b.cluster(b.cluster().withReplicas(v)))
                    .help("Copies JetStream keeps of the network's state changes, at most the number of NATS servers (default: ${DEFAULT-VALUE}).")
                    .doc(CLUSTER, "copies JetStream keeps of the network's changes (at most the NATS servers; 3 survives one failure)"),
            option("--cluster-timeout").label("SECONDS").file("cluster", "timeout")
                    .value(SECONDS, c -> c.cluster().timeout(), (b, v) -> b.cluster(b.cluster().withTimeout(v)))
                    .help("How long a change waits for the network before it fails (default: ${DEFAULT-VALUE}).")
                    .doc(CLUSTER, "how long a change waits for the network to agree"),
            option("--cluster-snapshot-every").label("N").file("cluster", "snapshot-every")
                    .value(INT, c -> c.cluster().snapshotEvery(), (b, v) -> b.cluster(b.cluster().withSnapshotEvery(v)))
                    .help("Changes between two snapshots of the network's state; a starting node reads the last snapshot and the changes after it (default: ${DEFAULT-VALUE}).")
                    .doc(CLUSTER, "changes between two snapshots a starting node catches up from (older changes are then dropped)"),
            option("--cluster-held-max").label("N").file("cluster", "held-max")
                    .value(INT, c -> c.cluster().heldMax(), (b, v) -> b.cluster(b.cluster().withHeldMax(v)))
                    .help("Messages from other nodes held at most while this node applies the changes they follow; more are dropped (default: ${DEFAULT-VALUE}).")
                    .doc(CLUSTER, "messages from other nodes held while this node catches up with the changes they follow; more are dropped"),
            option("--udp-port").label("P").file("udp", "port")
                    .value(INT, c -> c.udp().enabled() ? c.udp().port() : null, (b, v) -> b.udp(b.udp().withPort(v)))
                    .docDefault("off").sample("6668")
                    .help("Open the UDP door on this port (off unless given; 0 takes any free port).")
                    .doc(UDP, "open the UDP door on this port (`0` takes any free port), on `--host`"),
            option("--udp-channel").label("#NAME").file("udp", "channel")
                    .value(TEXT, c -> c.udp().channel(), (b, v) -> b.udp(b.udp().withChannel(v)))
                    .help("Channel UDP participants chat in (default: ${DEFAULT-VALUE}).")
                    .doc(UDP, "the channel UDP participants are in"),
            option("--udp-max-datagram").label("BYTES").file("udp", "max-datagram")
                    .value(INT, c -> c.udp().maxDatagram(), (b, v) -> b.udp(b.udp().withMaxDatagram(v)))
                    .help("Longest datagram accepted; longer ones are refused (default: ${DEFAULT-VALUE}).")
                    .doc(UDP, "longest datagram accepted"),
            option("--udp-idle-timeout").label("SECONDS").file("udp", "idle-timeout")
                    .value(SECONDS, c -> c.udp().idleTimeout(), (b, v) -> b.udp(b.udp().withIdleTimeout(v)))
                    .help("A UDP participant silent this long is removed; 'ping' keeps it (default: ${DEFAULT-VALUE}).")
                    .doc(UDP, "silence before a participant is removed"),
            option("--udp-rate").label("N").file("udp", "rate")
                    .value(INT, c -> c.udp().rate(), (b, v) -> b.udp(b.udp().withRate(v)))
                    .help("Datagrams per second one address may send, after the burst (default: ${DEFAULT-VALUE}).")
                    .doc(UDP, "datagrams a second one address may send, after the burst"),
            option("--udp-burst").label("N").file("udp", "burst")
                    .value(INT, c -> c.udp().burst(), (b, v) -> b.udp(b.udp().withBurst(v)))
                    .help("Datagrams one address may send at once (default: ${DEFAULT-VALUE}).")
                    .doc(UDP, "datagrams one address may send at once"),
            option("--udp-max-participants").label("N").file("udp", "max-participants")
                    .value(INT, c -> c.udp().maxParticipants(), (b, v) -> b.udp(b.udp().withMaxParticipants(v)))
                    .help("UDP participants at once (default: ${DEFAULT-VALUE}).")
                    .doc(UDP, "UDP participants at once"),
            option("--log-dir").label("DIR").own(PATH, null).docDefault("`<data-dir>/logs`")
                    .help("Where the event log is written (default: <data-dir>/logs).")
                    .doc(LOG, "where `parley.log` and its rolled files go"),
            option("--log-traffic").own(BOOL, null).docDefault("off")
                    .help("Also log every line received and sent, to the log file only; passwords are redacted. Slows the server.")
                    .doc(LOG, "also log every line in and out (passwords redacted), to the file only"),
            option("--log-file-size").label("SIZE").own(TEXT, "10MB")
                    .help("Start a new log file past this size, e.g. 500KB, 10MB, 1GB (default: ${DEFAULT-VALUE}).")
                    .doc(LOG, "roll the log file past this size (`500KB`, `10MB`, `1GB`)"),
            option("--log-history").label("DAYS").own(INT, "14")
                    .help("Delete rolled log files older than this many days (default: ${DEFAULT-VALUE}).")
                    .doc(LOG, "delete rolled log files older than this"),
            option("--log-total-size").label("SIZE").own(TEXT, "1GB")
                    .help("Delete the oldest rolled log files while all of them together are larger than this (default: ${DEFAULT-VALUE}).")
                    .doc(LOG, "delete the oldest rolled log files while all together are larger than this"),
            option("--no-console").own(BOOL, null).docDefault("off")
                    .help("Do not read operator commands from standard input.")
                    .doc(LOG, "do not read commands from standard input"))
            .map(SettingDraft::build)
            .toList();

    private Settings() {
    }

    /** The setting with this option name ({@code --port} or {@code -p}). */
    public static Setting byOption(String name) {
        return ALL.stream().filter(s -> s.options().contains(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no setting has the option " + name));
    }

    /** The config file's sections, in the order their first setting appears. */
    public static List<String> sections() {
        return ALL.stream().map(Setting::section).filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** The settings of one section of the config file, in table order. */
    public static List<Setting> inSection(String section) {
        return ALL.stream().filter(s -> section.equals(s.section())).toList();
    }

    private static SettingDraft option(String... names) {
        return new SettingDraft(List.of(names));
    }

    private static SettingDraft file(String section, String key) {
        return new SettingDraft(List.of()).file(section, key);
    }
}
