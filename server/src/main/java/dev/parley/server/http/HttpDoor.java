package dev.parley.server.http;

import dev.parley.server.config.AddressSet;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.TlsMaterial;
import dev.parley.server.config.TlsSource;
import dev.parley.server.session.ConnectionGate;
import dev.parley.server.session.Sessions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP door (Jetty 12): the web chat page at {@code /}, IRC over WebSocket at {@code /irc}
 * (IRCv3 WebSocket transport, {@code text.ircv3.net} and {@code binary.ircv3.net}),
 * {@code /metrics} in the Prometheus text format, {@code /healthz} and {@code /readyz} — over
 * HTTP, HTTPS (the IRC TLS certificate) or both, and /metrics optionally on a listener of its own.
 *
 * <p>A WebSocket user is an IRC connection like any other: the same connection gate (limits,
 * rates, D-lines) by the real client address — behind a reverse proxy named in
 * {@code --http-proxy-from}, the address its {@code X-Forwarded-For} gives — the same flood
 * control, SendQ and line limits. A browser's {@code Origin} must be the page's own or one of
 * {@code --http-origins}.
 */
public final class HttpDoor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");
    /** The WebSocket path. */
    public static final String IRC_PATH = "/irc";
    static final String TEXT = "text.ircv3.net";
    static final String BINARY = "binary.ircv3.net";
    private static final String WEB_ROOT = "dev/parley/web/";

    private final Sessions sessions;
    private final ServerConfig config;
    private final Metrics metrics;
    private final BooleanSupplier accepting;
    private final BooleanSupplier ready;
    private final Supplier<String> unhealthy;
    private final AddressSet proxies;
    private final Set<WebSocketConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();
    private final Server server;
    private ServerConnector http;
    private ServerConnector https;
    private ServerConnector metricsConnector;
    private SslContextFactory.Server ssl;

    /**
     * @param accepting whether new WebSocket users are let in (not while paused or shutting down)
     * @param ready     what {@code /readyz} says
     * @param unhealthy why {@code /healthz} fails (a deadlock found), or null while healthy
     */
    public HttpDoor(Sessions sessions, TlsSource tls, Metrics metrics, BooleanSupplier accepting, BooleanSupplier ready,
                    Supplier<String> unhealthy) {
        this.sessions = sessions;
        this.config = sessions.hub().config();
        this.metrics = metrics;
        this.accepting = accepting;
        this.ready = ready;
        this.unhealthy = unhealthy;
        this.proxies = AddressSet.parse(config.httpProxyFrom());
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("parley-http");
        this.server = new Server(threads);
        server.setStopTimeout(1000);
        String host = config.httpHost().isEmpty() ? config.host() : config.httpHost();
        HttpConfiguration plain = new HttpConfiguration();
        plain.setSendServerVersion(false);
        if (config.httpPort() >= 0) {
            http = new ServerConnector(server, new HttpConnectionFactory(plain));
            http.setHost(host);
            http.setPort(config.httpPort());
            server.addConnector(http);
        }
        if (config.httpsPort() >= 0) {
            if (tls == null) {
                throw new IllegalArgumentException("--https-port needs the TLS certificate: set --tls-port too");
            }
            ssl = new SslContextFactory.Server();
            useMaterial(ssl, tls.current());
            HttpConfiguration secure = new HttpConfiguration(plain);
            SecureRequestCustomizer customizer = new SecureRequestCustomizer();
            customizer.setSniHostCheck(false); // a self-signed certificate names the server, not every host used
            secure.addCustomizer(customizer);
            https = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(secure));
            https.setHost(host);
            https.setPort(config.httpsPort());
            server.addConnector(https);
            sessions.hub().onRehash(c -> reloadTls(tls));
        }
        if (config.metricsPort() >= 0) {
            metricsConnector = new ServerConnector(server, new HttpConnectionFactory(plain));
            metricsConnector.setHost(config.metricsHost().isEmpty() ? host : config.metricsHost());
            metricsConnector.setPort(config.metricsPort());
            server.addConnector(metricsConnector);
        }
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            long maxLine = config.maxTagBytes() + 1L + config.maxLineBytes();
            container.setMaxTextMessageSize(maxLine);
            container.setMaxBinaryMessageSize(maxLine);
            container.setMaxFrameSize(maxLine);
            // IRC's own PING finds dead clients; the socket's idle timeout only backs it up
            container.setIdleTimeout(config.pingInterval().plus(config.pingTimeout()).plus(Duration.ofMinutes(1)));
            container.addMapping(IRC_PATH, this::upgrade);
        });
        ws.setHandler(new Routes());
        server.setHandler(ws);
    }

    private static void useMaterial(SslContextFactory.Server f, TlsMaterial m) {
        f.setSslContext(m.context());
        f.setIncludeProtocols(TlsMaterial.PROTOCOLS.toArray(String[]::new));
        f.setIncludeCipherSuites(m.cipherSuites());
        f.setRenegotiationAllowed(false);
    }

    private void reloadTls(TlsSource tls) {
        try {
            ssl.reload(f -> useMaterial((SslContextFactory.Server) f, tls.current()));
        } catch (Exception e) {
            LOG.error("could not give HTTPS the reloaded certificate", e);
        }
    }

    /** Starts listening. */
    public void start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("cannot start the HTTP listener: " + e.getMessage(), e);
        }
        if (http != null) {
            LOG.info("HTTP on {}:{} (web chat at /, WebSocket at {})", http.getHost(), http.getLocalPort(), IRC_PATH);
        }
        if (https != null) {
            LOG.info("HTTPS on {}:{}", https.getHost(), https.getLocalPort());
        }
        if (metricsConnector != null) {
            LOG.info("metrics on {}:{}/metrics", metricsConnector.getHost(), metricsConnector.getLocalPort());
        }
    }

    /** The HTTP port bound, or -1. */
    public int httpPort() {
        return http == null ? -1 : http.getLocalPort();
    }

    /** The HTTPS port bound, or -1. */
    public int httpsPort() {
        return https == null ? -1 : https.getLocalPort();
    }

    /** The metrics listener's port, or -1 when /metrics is on the HTTP port. */
    public int metricsPort() {
        return metricsConnector == null ? -1 : metricsConnector.getLocalPort();
    }

    /** Open WebSocket connections. */
    public int connectionCount() {
        return connections.size();
    }

    /** Drops every WebSocket connection at once. */
    public void dropAll() {
        for (WebSocketConnection c : List.copyOf(connections)) {
            c.abort();
        }
    }

    @Override
    public void close() {
        dropAll();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP listener did not stop cleanly: {}", e.toString());
        }
    }

    /** Called once per WebSocket connection, when it closes. */
    void closed(WebSocketConnection c) {
        if (connections.remove(c)) {
            sessions.gate().leave(c.gateAddress());
        }
    }

    // ---- the WebSocket handshake ----

    private Object upgrade(ServerUpgradeRequest req, ServerUpgradeResponse resp, Callback callback) {
        if (req.getConnectionMetaData().getConnector() == metricsConnector) {
            Response.writeError(req, resp, callback, HttpStatus.NOT_FOUND_404);
            return null;
        }
        if (!accepting.getAsBoolean()) {
            Response.writeError(req, resp, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "Not accepting connections");
            return null;
        }
        String origin = req.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !originAllowed(origin, req.getHeaders().get(HttpHeader.HOST))) {
            Response.writeError(req, resp, callback, HttpStatus.FORBIDDEN_403, "Origin not allowed");
            return null;
        }
        String protocol = chooseProtocol(req.getSubProtocols());
        if (protocol == null) {
            Response.writeError(req, resp, callback, HttpStatus.BAD_REQUEST_400,
                    "Unsupported subprotocol: use " + TEXT + " or " + BINARY);
            return null;
        }
        if (!protocol.isEmpty()) {
            resp.setAcceptedSubProtocol(protocol);
        }
        InetAddress from = clientAddress(req);
        boolean secure = req.isSecure();
        ConnectionGate.Refusal refusal = sessions.gate().tryEnter(from);
        if (refusal != null) {
            return new Refused(refusal.reason(), protocol.equals(BINARY));
        }
        WebSocketConnection conn = new WebSocketConnection(this, sessions, from, secure, protocol.equals(BINARY));
        connections.add(conn);
        return conn;
    }

    /**
     * The subprotocol to answer with: the client's first choice of the two, "" when it asked for
     * none (a plain text connection), null when it asked only for others.
     */
    static String chooseProtocol(List<String> offered) {
        if (offered == null || offered.isEmpty()) {
            return "";
        }
        for (String p : offered) {
            String t = p.strip().toLowerCase(Locale.ROOT);
            if (t.equals(TEXT) || t.equals(BINARY)) {
                return t;
            }
        }
        return null;
    }

    /** The page's own origin (its host and port are the request's), or one of {@code --http-origins}. */
    boolean originAllowed(String origin, String hostHeader) {
        String o = origin.strip();
        while (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        for (String allowed : config.httpOrigins().split(",")) {
            String a = allowed.strip();
            while (a.endsWith("/")) {
                a = a.substring(0, a.length() - 1);
            }
            if (a.equals("*") || (!a.isEmpty() && a.equalsIgnoreCase(o))) {
                return true;
            }
        }
        if (hostHeader == null) {
            return false;
        }
        try {
            URI u = URI.create(o);
            String authority = u.getRawAuthority();
            if (authority == null || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))) {
                return false;
            }
            int defaultPort = u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            return withPort(authority, defaultPort).equalsIgnoreCase(withPort(hostHeader.strip(), defaultPort));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String withPort(String authority, int defaultPort) {
        int colon = authority.lastIndexOf(':');
        int bracket = authority.lastIndexOf(']');
        return colon > bracket ? authority : authority + ":" + defaultPort;
    }

    /** The client's address: the peer's, or behind a trusted reverse proxy the last of X-Forwarded-For. */
    private InetAddress clientAddress(Request req) {
        SocketAddress sa = req.getConnectionMetaData().getRemoteSocketAddress();
        InetAddress peer = ((InetSocketAddress) sa).getAddress();
        if (!proxies.contains(peer)) {
            return peer;
        }
        String forwarded = req.getHeaders().get("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        String last = hops[hops.length - 1].strip();
        if (last.startsWith("[") && last.endsWith("]")) {
            last = last.substring(1, last.length() - 1);
        }
        if (!last.matches("[0-9a-fA-F:.]+")) {
            return peer; // not an address: never a host name to look up
        }
        try {
            return InetAddress.getByName(last);
        } catch (IOException e) {
            return peer;
        }
    }

    /** A WebSocket the connection gate refused: told why in an ERROR line, then closed. */
    public static final class Refused implements org.eclipse.jetty.websocket.api.Session.Listener.AutoDemanding {
        private final String reason;
        private final boolean binary;

        Refused(String reason, boolean binary) {
            this.reason = reason;
            this.binary = binary;
        }

        @Override
        public void onWebSocketOpen(org.eclipse.jetty.websocket.api.Session ws) {
            String line = "ERROR :Closing Link: " + reason;
            org.eclipse.jetty.websocket.api.Callback close = org.eclipse.jetty.websocket.api.Callback.from(
                    () -> ws.close(1008, "refused", org.eclipse.jetty.websocket.api.Callback.NOOP), x -> ws.disconnect());
            if (binary) {
                ws.sendBinary(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), close);
            } else {
                ws.sendText(line, close);
            }
        }
    }

    // ---- everything else ----

    /** Health, readiness, metrics and the page's files. */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request req, Response resp, Callback callback) {
            String path = Request.getPathInContext(req);
            boolean onMetrics = metricsConnector != null && req.getConnectionMetaData().getConnector() == metricsConnector;
            boolean get = req.getMethod().equals("GET") || req.getMethod().equals("HEAD");
            if (!get) {
                resp.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                Response.writeError(req, resp, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
                return true;
            }
            switch (path) {
                case "/healthz" -> {
                    String why = unhealthy.get();
                    text(resp, callback, why == null ? 200 : 503, why == null ? "ok\n" : why + "\n");
                    return true;
                }
                case "/readyz" -> {
                    boolean r = ready.getAsBoolean();
                    text(resp, callback, r ? 200 : 503, r ? "ready\n" : "not ready\n");
                    return true;
                }
                case "/metrics" -> {
                    if (metricsConnector == null || onMetrics) {
                        resp.setStatus(200);
                        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, Metrics.CONTENT_TYPE);
                        resp.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                        resp.write(true, ByteBuffer.wrap(metrics.scrape().getBytes(StandardCharsets.UTF_8)), callback);
                        return true;
                    }
                }
                default -> {
                }
            }
            if (onMetrics) {
                Response.writeError(req, resp, callback, HttpStatus.NOT_FOUND_404);
                return true;
            }
            return file(path, resp, callback) || notFound(req, resp, callback);
        }

        private boolean notFound(Request req, Response resp, Callback callback) {
            Response.writeError(req, resp, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }

        private void text(Response resp, Callback callback, int status, String body) {
            resp.setStatus(status);
            resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            resp.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            resp.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        }

        /** A file of the web page, from the jar; false when there is none at {@code path}. */
        private boolean file(String path, Response resp, Callback callback) {
            String name = path.equals("/") ? "index.html" : path.substring(1);
            if (!name.matches("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*\\.[A-Za-z0-9]+")) {
                return false; // no "..", no hidden files, no directories
            }
            Optional<byte[]> body = files.computeIfAbsent(name, HttpDoor::load);
            if (body.isEmpty() && name.equals("index.html")) {
                body = Optional.of(FALLBACK_PAGE);
            }
            if (body.isEmpty()) {
                return false;
            }
            resp.setStatus(200);
            resp.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType(name));
            resp.getHeaders().put(HttpHeader.CACHE_CONTROL,
                    name.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
            resp.getHeaders().put("X-Content-Type-Options", "nosniff");
            resp.getHeaders().put("Referrer-Policy", "no-referrer");
            resp.getHeaders().put("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; "
                    + "img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
                    + "base-uri 'none'; frame-ancestors 'none'");
            resp.write(true, ByteBuffer.wrap(body.get()), callback);
            return true;
        }
    }

    private static Optional<byte[]> load(String name) {
        try (InputStream in = HttpDoor.class.getClassLoader().getResourceAsStream(WEB_ROOT + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json", "webmanifest" -> "application/json";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "woff2" -> "font/woff2";
            case "txt", "map" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    /** Served at / when the jar was built without the web page. */
    private static final byte[] FALLBACK_PAGE = ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
            + "<title>Parley</title><h1>Parley</h1><p>This build has no web chat page. IRC clients can connect "
            + "over WebSocket at <code>" + IRC_PATH + "</code>.</p></html>\n").getBytes(StandardCharsets.UTF_8);
}
