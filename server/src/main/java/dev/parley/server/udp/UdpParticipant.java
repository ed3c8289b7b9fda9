package dev.parley.server.udp;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.Numerics;
import dev.parley.server.core.Client;
import dev.parley.server.session.Session;
import dev.parley.server.session.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One UDP sender in the room: its address, its {@link Client} in the hub, and the state that
 * turns what the hub sends it (IRC lines) into the door's short lines.
 *
 * <p>Threading: everything here except {@link #abort} and {@link #remoteAddress} runs on the
 * door's single thread, which is this client's reader.
 */
final class UdpParticipant implements Transport {
    /** Where a participant stands. */
    enum State { JOINING, IN, GONE }

    /** Numerics that mean the room refused the joiner. */
    private static final List<String> JOIN_REFUSALS = List.of(Numerics.ERR_CHANNELISFULL, Numerics.ERR_INVITEONLYCHAN,
            Numerics.ERR_BANNEDFROMCHAN, Numerics.ERR_BADCHANNELKEY, Numerics.ERR_TOOMANYCHANNELS,
            Numerics.ERR_BADCHANMASK, Numerics.ERR_NOSUCHCHANNEL);
    /** Suffixes tried for a taken nick before the joiner is told there is none. */
    static final int MAX_SUFFIX = 1000;
    /** Longest names line: keeps every answer well inside one small datagram. */
    static final int NAMES_LINE_BYTES = 400;

    private final UdpDoor door;
    private final InetSocketAddress sender;
    private final String channel;
    private final CaseMapping caseMapping;
    final LineDecoder output = new LineDecoder(16 * 1024);
    Client client;
    Session session;
    State state = State.JOINING;
    /** The nick asked for, and how many suffixes were tried. */
    String wantedNick;
    int suffix;
    /** The nick the hub knows this participant by. */
    String nick;
    long lastHeardMillis;
    private final List<String> names = new ArrayList<>();
    private String pendingTopic;

    UdpParticipant(UdpDoor door, InetSocketAddress sender, String channel, CaseMapping caseMapping, long now) {
        this.door = door;
        this.sender = sender;
        this.channel = channel;
        this.caseMapping = caseMapping;
        this.lastHeardMillis = now;
    }

    InetSocketAddress sender() {
        return sender;
    }

    /** The nick to try next: the one asked for, then {@code nick_1}, {@code nick_2} … within {@code maxLength}. */
    String candidateNick(int maxLength) {
        if (suffix == 0) {
            return wantedNick;
        }
        String tail = "_" + suffix;
        if (tail.length() >= maxLength) {
            return null; // no room left for a suffix
        }
        String base = wantedNick.length() + tail.length() > maxLength
                ? wantedNick.substring(0, maxLength - tail.length())
                : wantedNick;
        return base + tail;
    }

    // ---- Transport (abort and remoteAddress from any thread) ----

    @Override
    public InetAddress remoteAddress() {
        return sender.getAddress();
    }

    @Override
    public void abort() {
        door.forgetLater(this);
    }

    @Override
    public void runOnReaderLater(Runnable task, long delayMillis) {
        door.schedule(task, delayMillis);
    }

    @Override
    public void offload(Runnable work, Runnable then) {
        door.offload(work, then);
    }

    // ---- translation: IRC lines the hub sent this participant, to door lines ----

    /**
     * What the participant is told for one line the hub sent it; may change this participant's
     * state (its nick, joined, gone). {@link UdpDoor} acts on {@link #state} afterwards.
     */
    List<String> translate(IrcMessage m) {
        String cmd = m.command();
        String from = sourceNick(m.source());
        return switch (cmd) {
            case "PRIVMSG", "NOTICE" -> message(m, from, cmd.equals("NOTICE"));
            case "JOIN" -> {
                if (isMe(from)) {
                    yield List.of();
                }
                yield inRoom(m, 0) ? List.of("-- " + from + " joined") : List.of();
            }
            case "PART" -> inRoom(m, 0) && !isMe(from)
                    ? List.of("-- " + from + " left" + reason(m.paramCount() > 1 ? m.param(1) : null))
                    : List.of();
            case "QUIT" -> List.of("-- " + from + " quit" + reason(m.param(0)));
            case "NICK" -> {
                String now = m.param(0);
                if (isMe(from)) {
                    nick = now;
                    yield state == State.IN ? List.of("-- you are now known as " + now) : List.of();
                }
                yield List.of("-- " + from + " is now known as " + now);
            }
            case "KICK" -> kick(m, from);
            case "TOPIC" -> inRoom(m, 0) ? List.of("-- " + from + " set the topic: " + m.param(1)) : List.of();
            case "MODE" -> inRoom(m, 0) && m.paramCount() > 1
                    ? List.of("-- " + from + " set mode " + String.join(" ", m.params().subList(1, m.paramCount())))
                    : List.of();
            case "INVITE" -> List.of("-- " + from + " invites you to " + m.param(1));
            case "ERROR" -> {
                state = State.GONE;
                yield List.of("-- bye" + reason(closingReason(m.param(0))));
            }
            default -> m.isNumeric() ? numeric(m) : List.of();
        };
    }

    private List<String> message(IrcMessage m, String from, boolean notice) {
        String target = m.param(0);
        String text = m.param(1);
        if (text == null) {
            return List.of();
        }
        boolean toRoom = caseMapping.equals(target, channel);
        boolean fromServer = m.source() == null || !m.source().contains("!");
        if (fromServer && !toRoom) {
            return List.of("-- " + text); // greetings, history replay, server notices
        }
        String line;
        if (text.startsWith("\u0001ACTION ") && !notice) {
            line = "* " + from + " " + text.substring(8, text.endsWith("\u0001") ? text.length() - 1 : text.length());
        } else if (text.startsWith("\u0001")) {
            return List.of(); // other CTCP requests are not for UDP people
        } else {
            line = notice ? "-" + from + "- " + text : "<" + from + "> " + text;
        }
        if (toRoom) {
            return List.of(line);
        }
        if (isMe(target)) {
            return List.of("[PM] " + line);
        }
        return List.of(); // another channel's traffic never reaches a door participant
    }

    private List<String> kick(IrcMessage m, String from) {
        if (!inRoom(m, 0)) {
            return List.of();
        }
        String victim = m.param(1);
        if (isMe(victim)) {
            state = State.GONE;
            return List.of("-- bye (kicked by " + from + (m.paramCount() > 2 ? ": " + m.param(2) : "") + ")");
        }
        return List.of("-- " + from + " kicked " + victim + reason(m.paramCount() > 2 ? m.param(2) : null));
    }

    private List<String> numeric(IrcMessage m) {
        String code = m.command();
        List<String> p = m.params();
        switch (code) {
            case Numerics.RPL_WELCOME -> {
                nick = m.param(0); // registered: the nick the hub gave us
                return List.of();
            }
            case Numerics.ERR_NOMOTD -> {
                return List.of();
            }
            case Numerics.RPL_TOPIC -> {
                String line = "-- topic: " + m.last();
                if (state == State.JOINING) {
                    pendingTopic = line;
                    return List.of();
                }
                return List.of(line);
            }
            case Numerics.RPL_NOTOPIC -> {
                return state == State.IN ? List.of("-- no topic is set") : List.of();
            }
            case Numerics.RPL_NAMREPLY -> {
                for (String n : m.last().split(" ")) {
                    if (!n.isEmpty()) {
                        names.add(n);
                    }
                }
                return List.of();
            }
            case Numerics.RPL_ENDOFNAMES -> {
                return endOfNames();
            }
            case Numerics.ERR_NICKNAMEINUSE -> {
                if (state == State.JOINING) {
                    suffix++;
                    if (suffix > MAX_SUFFIX) {
                        state = State.GONE;
                        return List.of("! no free nick like " + wantedNick + "; try another", "-- bye");
                    }
                    return List.of(); // the door tries the next suffix
                }
                return List.of("! nick " + m.param(1) + " is taken");
            }
            case Numerics.ERR_ERRONEUSNICKNAME -> {
                if (state == State.JOINING) {
                    state = State.GONE;
                }
                return List.of("! nick is not valid: " + m.param(1));
            }
            default -> {
                if (code.charAt(0) != '4' && code.charAt(0) != '5') {
                    return List.of(); // the welcome burst and other replies mean nothing to a UDP user
                }
                if (state == State.JOINING && JOIN_REFUSALS.contains(code)) {
                    state = State.GONE;
                    return List.of("! cannot join " + channel + ": " + m.last(), "-- bye");
                }
                List<String> rest = p.size() > 1 ? p.subList(1, p.size()) : p;
                return List.of("! " + String.join(": ", rest));
            }
        }
    }

    private List<String> endOfNames() {
        List<String> out = new ArrayList<>();
        String head;
        if (state == State.JOINING) {
            state = State.IN;
            if (suffix > 0) {
                out.add("-- " + wantedNick + " is taken; you are " + nick);
            }
            head = "-- joined " + channel + " as " + nick + "; here:";
        } else {
            head = "-- in " + channel + ":";
        }
        StringBuilder line = new StringBuilder(head);
        for (String n : names) {
            if (line.length() + 1 + n.length() > NAMES_LINE_BYTES) {
                out.add(line.toString());
                line = new StringBuilder("-- ").append(channel).append(':');
            }
            line.append(' ').append(n);
        }
        out.add(line.toString());
        names.clear();
        if (pendingTopic != null) {
            out.add(pendingTopic);
            pendingTopic = null;
        }
        return out;
    }

    private boolean inRoom(IrcMessage m, int i) {
        return i < m.paramCount() && caseMapping.equals(m.param(i), channel);
    }

    private boolean isMe(String who) {
        return who != null && nick != null && caseMapping.equals(who, nick);
    }

    private static String sourceNick(String source) {
        if (source == null) {
            return "";
        }
        int bang = source.indexOf('!');
        return bang < 0 ? source : source.substring(0, bang);
    }

    private static String reason(String r) {
        return r == null || r.isEmpty() ? "" : " (" + r + ")";
    }

    /** {@code Closing Link: host (reason)} → {@code reason}. */
    private static String closingReason(String text) {
        if (text == null) {
            return null;
        }
        int open = text.indexOf('(');
        if (text.startsWith("Closing Link:") && open > 0 && text.endsWith(")")) {
            return text.substring(open + 1, text.length() - 1);
        }
        return text;
    }
}
