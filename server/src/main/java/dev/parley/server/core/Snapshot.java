package dev.parley.server.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The network's state as bytes, for a cluster node that starts: every client (this node's
 * written as of {@code self}, so the reader sees them as another node's) with what the appliers
 * read of it, and every channel with its modes, topic, lists and members in join order, and the
 * invitations. A node reads it into an empty hub and goes on with the changes after it.
 *
 * <p>Written under the hub lock by the thread applying the network's changes, between two
 * changes; read before the node has clients of its own.
 */
final class Snapshot {
    static final int VERSION = 1;

    private Snapshot() {
    }

    static void write(Hub hub, DataOutputStream out, String self) throws IOException {
        out.writeInt(VERSION);
        List<Client> all = new ArrayList<>();
        for (Client c : hub.clients()) {
            if (!c.isGone()) {
                all.add(c);
            }
        }
        out.writeInt(all.size());
        for (Client c : all) {
            out.writeUTF(c.netId());
            out.writeUTF(c.isRemote() ? c.node() : self);
            byte[] address = c.address().getAddress();
            out.writeByte(address.length);
            out.write(address);
            out.writeBoolean(c.isSecure());
            out.writeUTF(c.host());
            nullable(out, c.nick());
            nullable(out, c.user());
            nullable(out, c.realname());
            nullable(out, c.account());
            out.writeUTF(c.userModes());
            nullable(out, c.away());
            nullable(out, c.operName());
            nullable(out, c.certFingerprint());
            out.writeBoolean(c.isRegistered());
            out.writeLong(c.connectedAtMillis());
        }
        List<Channel> channels = new ArrayList<>(hub.channels.values());
        out.writeInt(channels.size());
        for (Channel ch : channels) {
            Channel.View v = ch.view();
            out.writeUTF(ch.name());
            out.writeUTF(ch.key());
            out.writeUTF(ch.historyKey());
            out.writeLong(ch.createdAtMillis());
            Channel.Modes m = v.modes();
            out.writeBoolean(m.topicOps());
            out.writeBoolean(m.noExternal());
            out.writeBoolean(m.moderated());
            out.writeBoolean(m.inviteOnly());
            out.writeBoolean(m.secret());
            nullable(out, m.key());
            out.writeInt(m.limit());
            Channel.Topic t = v.topic();
            out.writeBoolean(t != null);
            if (t != null) {
                out.writeUTF(t.text());
                out.writeUTF(t.setBy());
                out.writeLong(t.setAtMillis());
            }
            masks(out, v.bans());
            masks(out, v.exceptions());
            out.writeInt(v.members().length);
            for (int i = 0; i < v.members().length; i++) {
                out.writeUTF(v.members()[i].netId());
                Membership p = v.prefixes()[i];
                out.writeByte((p.has(Membership.OP) ? Membership.OP : 0) | (p.has(Membership.VOICE) ? Membership.VOICE : 0));
            }
        }
        int invited = 0;
        for (Client c : all) {
            invited += c.invitations.isEmpty() ? 0 : 1;
        }
        out.writeInt(invited);
        for (Client c : all) {
            if (!c.invitations.isEmpty()) {
                out.writeUTF(c.netId());
                out.writeInt(c.invitations.size());
                for (Channel ch : c.invitations) {
                    out.writeUTF(ch.name());
                }
            }
        }
    }

    /** Reads a snapshot into {@code hub}, which holds no clients or channels yet. */
    static void read(Hub hub, DataInputStream in) throws IOException {
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("snapshot of unknown version " + version);
        }
        Map<String, Client> byId = new HashMap<>();
        int clients = in.readInt();
        for (int i = 0; i < clients; i++) {
            String netId = in.readUTF();
            String node = in.readUTF();
            byte[] address = new byte[in.readUnsignedByte()];
            in.readFully(address);
            boolean secure = in.readBoolean();
            String host = in.readUTF();
            String nick = readNullable(in);
            String user = readNullable(in);
            String realname = readNullable(in);
            String account = readNullable(in);
            String modes = in.readUTF();
            String away = readNullable(in);
            String operName = readNullable(in);
            String certfp = readNullable(in);
            boolean registered = in.readBoolean();
            in.readLong(); // connected at: the reader's own clock says when it learned of the client
            Client c = hub.connectRemote(netId, node, InetAddress.getByAddress(address), secure, host);
            c.updateRemote(user, realname, certfp);
            hub.lock.lock();
            try {
                if (nick != null) {
                    c.setNickLocked(nick);
                    hub.nicksLocked().put(hub.caseMapping().fold(nick), c);
                }
                if (account != null) {
                    c.setAccount(account);
                    hub.indexAccountLocked(c, null, account);
                }
                for (char mode : modes.toCharArray()) {
                    c.setMode(mode, true);
                }
                c.setAway(away);
                if (operName != null) {
                    c.setOperName(operName);
                }
                if (registered) {
                    c.markRegisteredLocked();
                }
            } finally {
                hub.lock.unlock();
            }
            byId.put(netId, c);
        }
        int channels = in.readInt();
        Map<String, Channel> byName = new HashMap<>();
        hub.lock.lock();
        try {
            for (int i = 0; i < channels; i++) {
                String name = in.readUTF();
                String key = in.readUTF();
                String historyKey = in.readUTF();
                long created = in.readLong();
                Channel ch = new Channel(name, key, historyKey, created);
                ch.setModesLocked(new Channel.Modes(in.readBoolean(), in.readBoolean(), in.readBoolean(), in.readBoolean(),
                        in.readBoolean(), readNullable(in), in.readInt()));
                if (in.readBoolean()) {
                    ch.setTopicLocked(new Channel.Topic(in.readUTF(), in.readUTF(), in.readLong()));
                }
                List<Channel.MaskEntry> bans = readMasks(in);
                List<Channel.MaskEntry> exceptions = readMasks(in);
                ch.setListsLocked(bans, exceptions);
                int members = in.readInt();
                for (int m = 0; m < members; m++) {
                    Client c = byId.get(in.readUTF());
                    int prefix = in.readUnsignedByte();
                    if (c != null) {
                        ch.addLocked(c, Membership.of(prefix));
                    }
                }
                hub.channels.put(key, ch);
                byName.put(name, ch);
            }
            int invited = in.readInt();
            for (int i = 0; i < invited; i++) {
                Client c = byId.get(in.readUTF());
                int n = in.readInt();
                for (int k = 0; k < n; k++) {
                    Channel ch = byName.get(in.readUTF());
                    if (c != null && ch != null) {
                        c.invitations.add(ch);
                    }
                }
            }
        } finally {
            hub.lock.unlock();
        }
    }

    private static void masks(DataOutputStream out, List<Channel.MaskEntry> list) throws IOException {
        out.writeInt(list.size());
        for (Channel.MaskEntry e : list) {
            out.writeUTF(e.mask());
            out.writeUTF(e.setBy());
            out.writeLong(e.setAtMillis());
        }
    }

    private static List<Channel.MaskEntry> readMasks(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<Channel.MaskEntry> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new Channel.MaskEntry(in.readUTF(), in.readUTF(), in.readLong()));
        }
        return List.copyOf(list);
    }

    private static void nullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
