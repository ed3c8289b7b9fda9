package dev.parley.chat;

import dev.parley.protocol.Names;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Asks for what the command line left out — server address, port, nick, password — showing
 * the default in brackets (Enter takes it). A bad answer is explained in one line and asked
 * again. Runs on the main thread before the session starts.
 */
final class Prompter {
    /** Longest nick the client accepts from the prompt; the server may allow less. */
    static final int MAX_NICK = 64;

    /** Asks one question; returns null when the input has ended. */
    @FunctionalInterface
    interface Asker {
        String ask(String question, boolean secret);
    }

    /** Looks a host up; throws when it cannot be found. */
    @FunctionalInterface
    interface Resolver {
        void resolve(String host) throws UnknownHostException;
    }

    /** The user ended the input instead of answering. */
    static final class Cancelled extends Exception {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("no answer; nothing to do");
        }
    }

    private final Asker asker;
    private final PrintWriter out;
    private final Resolver resolver;

    Prompter(Asker asker, PrintWriter out, Resolver resolver) {
        this.asker = asker;
        this.out = out;
        this.resolver = resolver;
    }

    Prompter(Asker asker, PrintWriter out) {
        this(asker, out, InetAddress::getAllByName);
    }

    /** Asks for {@code HOST[:PORT]}, then for the port when the answer had none. */
    Endpoint endpoint(String defaultHost, int defaultPort) throws Cancelled {
        while (true) {
            String answer = answer("Server address [" + defaultHost + "]: ", defaultHost);
            try {
                Endpoint e = Endpoint.parse(answer, defaultPort);
                resolver.resolve(e.host());
                return Endpoint.hasPort(answer) ? e : new Endpoint(e.host(), port(defaultPort));
            } catch (IllegalArgumentException ex) {
                out.println("  " + ex.getMessage() + "; please try again");
            } catch (UnknownHostException ex) {
                out.println("  cannot find the host '" + answer + "'; please try again");
            }
            out.flush();
        }
    }

    int port(int defaultPort) throws Cancelled {
        while (true) {
            String answer = answer("Port [" + defaultPort + "]: ", Integer.toString(defaultPort));
            try {
                int port = Endpoint.parsePort(answer);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
                out.println("  port must be between 1 and 65535; please try again");
            } catch (IllegalArgumentException ex) {
                out.println("  " + ex.getMessage() + "; please try again");
            }
            out.flush();
        }
    }

    String nick(String defaultNick) throws Cancelled {
        while (true) {
            String answer = answer("Nick [" + defaultNick + "]: ", defaultNick);
            if (Names.isValidNick(answer, MAX_NICK)) {
                return answer;
            }
            out.println("  '" + answer + "' is not a valid nick: start with a letter, then letters, digits or []\\`_^{|}-");
            out.flush();
        }
    }

    String password(String account) throws Cancelled {
        String answer = asker.ask("Password for " + account + ": ", true);
        if (answer == null) {
            throw new Cancelled();
        }
        return answer;
    }

    private String answer(String question, String defaultValue) throws Cancelled {
        String answer = asker.ask(question, false);
        if (answer == null) {
            throw new Cancelled();
        }
        answer = answer.strip();
        return answer.isEmpty() ? defaultValue : answer;
    }
}
