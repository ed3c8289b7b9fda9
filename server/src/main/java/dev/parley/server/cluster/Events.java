package dev.parley.server.cluster;

import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The network's changes on the wire: a {@link Change} with its clients named by
 * {@link Client#netId()} and its channels by name, and the node events ({@code up}, {@code lost}).
 * Every node decodes the same bytes into the same change, its own included, so every node
 * applies exactly the same thing.
 *
 * <p>Format: a version byte, the kind, the origin node ({@code name/epoch}), the origin's
 * request number (0: nobody waits for it), the time it was made, then the kind's fields
 * ({@link DataOutputStream} encoding). A client that a change may introduce to the other
 * nodes (NICK, registration) is written whole: its id, node, address, security, host, user,
 * real name and certificate fingerprint.
 */
final class Events {
    static final byte VERSION = 1;

    // kinds
    static final byte NICK = 1;
    static final byte REGISTER = 2;
    static final byte QUIT = 3;
    static final byte AWAY = 4;
    static final byte ACCOUNT = 5;
    static final byte REALNAME = 6;
    static final byte HOST = 7;
    static final byte USER_MODES = 8;
    static final byte OPER = 9;
    static final byte JOIN = 10;
    static final byte PART = 11;
    static final byte KICK = 12;
    static final byte TOPIC = 13;
    static final byte INVITE = 14;
    static final byte CHANNEL_MODES = 15;
    static final byte SERVICE_MODES = 16;
    static final byte REGISTER_CHANNEL = 17;
    static final byte DROP_CHANNEL = 18;
    static final byte FORGET_ACCOUNT = 19;
    static final byte CHANNEL_ACCESS = 20;
    static final byte ACCOUNT_KNOWN = 21;
    static final byte READ_MARKER = 22;
    static final byte LOGIN_SEEN = 23;
    static final byte NODE_UP = 50;
    static final byte NODE_LOST = 51;

    private Events() {
    }

    /** One decoded event: a change to apply (null for a node event or when its client is gone) and where it came from. */
    record Decoded(byte kind, String origin, long request, long time, Change<?> change, String node, String reason) {
    }

    // ---- encoding ----

    static byte[] encode(Change<?> change, String origin, long request, long time) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (change) {
                case Change.Nick n -> {
                    header(out, NICK, origin, request, time);
                    client(out, n.client());
                    out.writeUTF(n.wanted());
                    nullable(out, n.onlyFrom());
                    out.writeBoolean(n.unlessOwner());
                }
                case Change.Register r -> {
                    header(out, REGISTER, origin, request, time);
                    client(out, r.client());
                }
                case Change.Quit q -> {
                    header(out, QUIT, origin, request, time);
                    out.writeUTF(q.client().netId());
                    nullable(out, q.reason());
                }
                case Change.Away a -> {
                    header(out, AWAY, origin, request, time);
                    out.writeUTF(a.client().netId());
                    nullable(out, a.text());
                }
                case Change.Account a -> {
                    header(out, ACCOUNT, origin, request, time);
                    out.writeUTF(a.client().netId());
                    nullable(out, a.account());
                }
                case Change.Realname r -> {
                    header(out, REALNAME, origin, request, time);
                    out.writeUTF(r.client().netId());
                    out.writeUTF(r.realname());
                }
                case Change.Host h -> {
                    header(out, HOST, origin, request, time);
                    out.writeUTF(h.client().netId());
                    out.writeUTF(h.host());
                }
                case Change.UserModes m -> {
                    header(out, USER_MODES, origin, request, time);
                    out.writeUTF(m.client().netId());
                    out.writeShort(m.changes().size());
                    for (Change.UserModeChange c : m.changes()) {
                        out.writeBoolean(c.adding());
                        out.writeChar(c.mode());
                    }
                }
                case Change.Oper o -> {
                    header(out, OPER, origin, request, time);
                    out.writeUTF(o.client().netId());
                    out.writeUTF(o.name());
                }
                case Change.Join j -> {
                    header(out, JOIN, origin, request, time);
                    out.writeUTF(j.client().netId());
                    out.writeUTF(j.channel());
                    nullable(out, j.key());
                }
                case Change.Part p -> {
                    header(out, PART, origin, request, time);
                    out.writeUTF(p.client().netId());
                    out.writeUTF(p.channel().name());
                    nullable(out, p.reason());
                }
                case Change.Kick k -> {
                    header(out, KICK, origin, request, time);
                    out.writeUTF(k.by().netId());
                    out.writeUTF(k.channel().name());
                    out.writeUTF(k.target().netId());
                    nullable(out, k.reason());
                }
                case Change.Topic t -> {
                    header(out, TOPIC, origin, request, time);
                    out.writeUTF(t.by().netId());
                    out.writeUTF(t.channel().name());
                    out.writeUTF(t.text());
                }
                case Change.Invite i -> {
                    header(out, INVITE, origin, request, time);
                    out.writeUTF(i.by().netId());
                    out.writeUTF(i.channel().name());
                    out.writeUTF(i.target().netId());
                }
                case Change.ChannelModes m -> {
                    header(out, CHANNEL_MODES, origin, request, time);
                    out.writeUTF(m.by().netId());
                    out.writeUTF(m.channel().name());
                    modes(out, m.changes());
                }
                case Change.ServiceModes m -> {
                    header(out, SERVICE_MODES, origin, request, time);
                    out.writeUTF(m.channel().name());
                    modes(out, m.changes());
                }
                case Change.RegisterChannel r -> {
                    header(out, REGISTER_CHANNEL, origin, request, time);
                    out.writeUTF(r.by().netId());
                    out.writeUTF(r.channel().name());
                }
                case Change.DropChannel d -> {
                    header(out, DROP_CHANNEL, origin, request, time);
                    out.writeUTF(d.by().netId());
                    out.writeUTF(d.channel());
                    out.writeBoolean(d.asOperator());
                }
                case Change.ForgetChannelAccount f -> {
                    header(out, FORGET_ACCOUNT, origin, request, time);
                    out.writeUTF(f.account());
                }
                case Change.ChannelAccess a -> {
                    header(out, CHANNEL_ACCESS, origin, request, time);
                    out.writeUTF(a.channel());
                    out.writeUTF(a.account());
                    nullable(out, a.level() == null ? null : a.level().name());
                    nullable(out, a.setBy());
                    out.writeInt(a.max());
                }
                case Change.AccountKnown a -> {
                    header(out, ACCOUNT_KNOWN, origin, request, time);
                    out.writeUTF(a.name());
                    out.writeBoolean(a.exists());
                }
                case Change.ReadMarker r -> {
                    header(out, READ_MARKER, origin, request, time);
                    out.writeUTF(r.by().netId());
                    out.writeUTF(r.account());
                    out.writeUTF(r.target());
                    out.writeUTF(r.shown());
                    out.writeLong(r.atMillis());
                }
                case Change.LoginSeen l -> {
                    header(out, LOGIN_SEEN, origin, request, time);
                    out.writeByte(l.keys().size());
                    for (String k : l.keys()) {
                        out.writeUTF(k);
                    }
                    out.writeBoolean(l.failed());
                }
                case Change.MonitorAdd m -> throw new IllegalArgumentException("MONITOR stays on its node");
                case Change.MonitorRemove m -> throw new IllegalArgumentException("MONITOR stays on its node");
                case Change.MonitorClear m -> throw new IllegalArgumentException("MONITOR stays on its node");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A node event: {@code node} ({@code name/epoch}) is up, or lost with {@code reason}. */
    static byte[] encodeNode(byte kind, String origin, long time, String node, String reason) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            header(out, kind, origin, 0, time);
            out.writeUTF(node);
            nullable(out, reason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void header(DataOutputStream out, byte kind, String origin, long request, long time) throws IOException {
        out.writeByte(VERSION);
        out.writeByte(kind);
        out.writeUTF(origin);
        out.writeLong(request);
        out.writeLong(time);
    }

    /** A client whole, so a node that does not know it yet can make it. */
    private static void client(DataOutputStream out, Client c) throws IOException {
        out.writeUTF(c.netId());
        byte[] address = c.address().getAddress();
        out.writeByte(address.length);
        out.write(address);
        out.writeBoolean(c.isSecure());
        out.writeUTF(c.host());
        nullable(out, c.user());
        nullable(out, c.realname());
        nullable(out, c.certFingerprint());
    }

    private static void modes(DataOutputStream out, List<Change.ModeChange> changes) throws IOException {
        out.writeShort(changes.size());
        for (Change.ModeChange c : changes) {
            out.writeBoolean(c.adding());
            out.writeChar(c.mode());
            nullable(out, c.arg());
        }
    }

    private static void nullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    // ---- decoding ----

    /**
     * Reads an event. Clients are resolved in {@code hub}: one introduced by a NICK or a
     * registration of another node is made there; a change whose acting client is gone (its
     * Quit came first) decodes to a null change, which nobody applies.
     */
    static Decoded decode(byte[] data, Hub hub, String self) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("event of unknown version " + version);
        }
        byte kind = in.readByte();
        String origin = in.readUTF();
        long request = in.readLong();
        long time = in.readLong();
        if (kind == NODE_UP || kind == NODE_LOST) {
            String node = in.readUTF();
            String reason = readNullable(in);
            return new Decoded(kind, origin, request, time, null, node, reason);
        }
        Change<?> change = switch (kind) {
            case NICK -> {
                Client c = client(in, hub, origin, self);
                String wanted = in.readUTF();
                String onlyFrom = readNullable(in);
                boolean unlessOwner = in.readBoolean();
                yield c == null ? null : new Change.Nick(c, wanted, onlyFrom, unlessOwner);
            }
            case REGISTER -> {
                Client c = client(in, hub, origin, self);
                yield c == null ? null : new Change.Register(c);
            }
            case QUIT -> {
                Client c = hub.findByNetId(in.readUTF());
                String reason = readNullable(in);
                yield c == null ? null : new Change.Quit(c, reason);
            }
            case AWAY -> {
                Client c = hub.findByNetId(in.readUTF());
                String text = readNullable(in);
                yield c == null ? null : new Change.Away(c, text);
            }
            case ACCOUNT -> {
                Client c = hub.findByNetId(in.readUTF());
                String account = readNullable(in);
                yield c == null ? null : new Change.Account(c, account);
            }
            case REALNAME -> {
                Client c = hub.findByNetId(in.readUTF());
                String name = in.readUTF();
                yield c == null ? null : new Change.Realname(c, name);
            }
            case HOST -> {
                Client c = hub.findByNetId(in.readUTF());
                String host = in.readUTF();
                yield c == null ? null : new Change.Host(c, host);
            }
            case USER_MODES -> {
                Client c = hub.findByNetId(in.readUTF());
                int n = in.readUnsignedShort();
                List<Change.UserModeChange> changes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    changes.add(new Change.UserModeChange(in.readBoolean(), in.readChar()));
                }
                yield c == null ? null : new Change.UserModes(c, changes);
            }
            case OPER -> {
                Client c = hub.findByNetId(in.readUTF());
                String name = in.readUTF();
                yield c == null ? null : new Change.Oper(c, name);
            }
            case JOIN -> {
                Client c = hub.findByNetId(in.readUTF());
                String channel = in.readUTF();
                String key = readNullable(in);
                yield c == null ? null : new Change.Join(c, channel, key);
            }
            case PART -> {
                Client c = hub.findByNetId(in.readUTF());
                Channel ch = channel(hub, in.readUTF());
                String reason = readNullable(in);
                yield c == null ? null : new Change.Part(c, ch, reason);
            }
            case KICK -> {
                Client by = hub.findByNetId(in.readUTF());
                Channel ch = channel(hub, in.readUTF());
                Client target = target(hub, in.readUTF());
                String reason = readNullable(in);
                yield by == null ? null : new Change.Kick(by, ch, target, reason);
            }
            case TOPIC -> {
                Client by = hub.findByNetId(in.readUTF());
                Channel ch = channel(hub, in.readUTF());
                String text = in.readUTF();
                yield by == null ? null : new Change.Topic(by, ch, text);
            }
            case INVITE -> {
                Client by = hub.findByNetId(in.readUTF());
                Channel ch = channel(hub, in.readUTF());
                Client target = target(hub, in.readUTF());
                yield by == null ? null : new Change.Invite(by, ch, target);
            }
            case CHANNEL_MODES -> {
                Client by = hub.findByNetId(in.readUTF());
                Channel ch = channel(hub, in.readUTF());
                List<Change.ModeChange> changes = readModes(in);
                yield by == null ? null : new Change.ChannelModes(by, ch, changes);
            }
            case SERVICE_MODES -> {
                Channel ch = channel(hub, in.readUTF());
                yield new Change.ServiceModes(ch, readModes(in));
            }
            case REGISTER_CHANNEL -> {
                Client by = hub.findByNetId(in.readUTF());
                Channel ch = channel(hub, in.readUTF());
                yield by == null ? null : new Change.RegisterChannel(by, ch);
            }
            case DROP_CHANNEL -> {
                Client by = hub.findByNetId(in.readUTF());
                String name = in.readUTF();
                boolean asOperator = in.readBoolean();
                yield by == null ? null : new Change.DropChannel(by, name, asOperator);
            }
            case FORGET_ACCOUNT -> new Change.ForgetChannelAccount(in.readUTF());
            case ACCOUNT_KNOWN -> new Change.AccountKnown(in.readUTF(), in.readBoolean());
            case LOGIN_SEEN -> {
                int n = in.readUnsignedByte();
                List<String> keys = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    keys.add(in.readUTF());
                }
                yield new Change.LoginSeen(keys, in.readBoolean());
            }
            case READ_MARKER -> new Change.ReadMarker(target(hub, in.readUTF()), in.readUTF(), in.readUTF(), in.readUTF(),
                    in.readLong());
            case CHANNEL_ACCESS -> {
                String channel = in.readUTF();
                String account = in.readUTF();
                String level = readNullable(in);
                String setBy = readNullable(in);
                int max = in.readInt();
                yield new Change.ChannelAccess(channel, account,
                        level == null ? null : dev.parley.server.service.ChannelRegistry.Level.valueOf(level), setBy, max);
            }
            default -> throw new IOException("event of unknown kind " + kind);
        };
        return new Decoded(kind, origin, request, time, change, null, null);
    }

    /**
     * A client written whole: the one known by its id (another node's updated with what the
     * event says), or another node's made now. Null for a client of this node that is gone.
     */
    private static Client client(DataInputStream in, Hub hub, String origin, String self) throws IOException {
        String netId = in.readUTF();
        byte[] address = new byte[in.readUnsignedByte()];
        in.readFully(address);
        boolean secure = in.readBoolean();
        String host = in.readUTF();
        String user = readNullable(in);
        String realname = readNullable(in);
        String certfp = readNullable(in);
        Client c = hub.findByNetId(netId);
        if (c == null) {
            if (origin.equals(self)) {
                return null; // ours, and its Quit was applied: nothing more happens to it
            }
            c = hub.connectRemote(netId, origin, InetAddress.getByAddress(address), secure, host);
        }
        if (c.isRemote()) {
            c.updateRemote(user, realname, certfp);
        }
        return c;
    }

    /** The live channel of that name, or one that is nowhere (for a change naming a channel that is gone). */
    private static Channel channel(Hub hub, String name) {
        Channel ch = hub.findChannel(name);
        return ch != null ? ch : hub.detachedChannel(name);
    }

    /** A client a change acts on: the one known, or one that is nowhere. */
    private static Client target(Hub hub, String netId) {
        Client c = hub.findByNetId(netId);
        return c != null ? c : hub.ghost(netId);
    }

    private static List<Change.ModeChange> readModes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        List<Change.ModeChange> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            changes.add(new Change.ModeChange(in.readBoolean(), in.readChar(), readNullable(in)));
        }
        return changes;
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
