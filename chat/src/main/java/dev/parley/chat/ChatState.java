package dev.parley.chat;

import dev.parley.protocol.CaseMapping;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the client knows about its session: its nick, the server's case mapping and prefixes,
 * the channels it is in with their members, and the current target. Owned by the chat loop
 * thread; the one value other threads read is {@link #completionWords()}, an immutable list
 * published through a volatile field for the tab completer on the input thread.
 */
final class ChatState {
    private CaseMapping mapping = CaseMapping.RFC1459;
    private String memberPrefixes = "~&@%+";
    private String chanTypes = "#&";
    private String nick;
    private String target;
    private final Map<String, ChannelInfo> channels = new LinkedHashMap<>();
    private volatile List<String> completionWords = List.of();

    /** One joined channel: its name as the server spells it and its members by folded nick. */
    record ChannelInfo(String name, Map<String, String> members) {
    }

    ChatState(String nick) {
        this.nick = nick;
    }

    String nick() {
        return nick;
    }

    void nick(String newNick) {
        nick = newNick;
    }

    boolean isMe(String who) {
        return who != null && nick != null && mapping.equals(who, nick);
    }

    CaseMapping mapping() {
        return mapping;
    }

    /** Applies ISUPPORT tokens this client cares about: CASEMAPPING, PREFIX, CHANTYPES. */
    void isupport(String key, String value) {
        switch (key) {
            case "CASEMAPPING" -> mapping = "ascii".equalsIgnoreCase(value) ? CaseMapping.ASCII : CaseMapping.RFC1459;
            case "PREFIX" -> {
                int close = value == null ? -1 : value.indexOf(')');
                if (close >= 0) {
                    memberPrefixes = value.substring(close + 1);
                }
            }
            case "CHANTYPES" -> chanTypes = value == null ? "" : value;
            default -> {
            }
        }
    }

    boolean isChannel(String name) {
        return name != null && !name.isEmpty() && chanTypes.indexOf(name.charAt(0)) >= 0;
    }

    /** {@code @#chan} (STATUSMSG) becomes {@code #chan}; anything else is returned as is. */
    String stripStatusPrefix(String target) {
        int i = 0;
        while (i < target.length() - 1 && memberPrefixes.indexOf(target.charAt(i)) >= 0) {
            i++;
        }
        return i > 0 && isChannel(target.substring(i)) ? target.substring(i) : target;
    }

    /** The current target: a channel or a nick, or null. */
    String target() {
        return target;
    }

    void target(String t) {
        target = t;
    }

    Collection<ChannelInfo> channels() {
        return channels.values();
    }

    ChannelInfo channel(String name) {
        return channels.get(mapping.fold(name));
    }

    void joined(String channel) {
        channels.putIfAbsent(mapping.fold(channel), new ChannelInfo(channel, new LinkedHashMap<>()));
        if (target == null) {
            target = channel;
        }
        publish();
    }

    void left(String channel) {
        channels.remove(mapping.fold(channel));
        if (target != null && mapping.equals(target, channel)) {
            target = channels.isEmpty() ? null : channels.values().iterator().next().name();
        }
        publish();
    }

    void addMember(String channel, String who) {
        ChannelInfo c = channel(channel);
        if (c != null) {
            c.members().put(mapping.fold(who), who);
            publish();
        }
    }

    void removeMember(String channel, String who) {
        ChannelInfo c = channel(channel);
        if (c != null) {
            c.members().remove(mapping.fold(who));
            publish();
        }
    }

    /** Removes {@code who} everywhere; returns the channels they were in. */
    List<String> quit(String who) {
        List<String> in = new ArrayList<>();
        for (ChannelInfo c : channels.values()) {
            if (c.members().remove(mapping.fold(who)) != null) {
                in.add(c.name());
            }
        }
        publish();
        return in;
    }

    /** Renames {@code from} to {@code to} in every channel and as the current target. */
    void renamed(String from, String to) {
        for (ChannelInfo c : channels.values()) {
            if (c.members().remove(mapping.fold(from)) != null) {
                c.members().put(mapping.fold(to), to);
            }
        }
        if (target != null && mapping.equals(target, from)) {
            target = to;
        }
        if (isMe(from)) {
            nick = to;
        }
        publish();
    }

    /** The member list of {@code channel} from a finished NAMES reply (entries keep their prefixes). */
    void members(String channel, List<String> entries) {
        ChannelInfo c = channel(channel);
        if (c == null) {
            return;
        }
        c.members().clear();
        for (String entry : entries) {
            String bare = stripMemberPrefixes(entry);
            c.members().put(mapping.fold(bare), bare);
        }
        publish();
    }

    String stripMemberPrefixes(String entry) {
        int i = 0;
        while (i < entry.length() && memberPrefixes.indexOf(entry.charAt(i)) >= 0) {
            i++;
        }
        String bare = entry.substring(i);
        int bang = bare.indexOf('!');
        return bang > 0 ? bare.substring(0, bang) : bare;
    }

    /** The connection dropped: forget members and channels; returns the channels to rejoin. */
    List<String> disconnected() {
        List<String> names = new ArrayList<>();
        channels.values().forEach(c -> names.add(c.name()));
        channels.clear();
        publish();
        return names;
    }

    /** Words the tab completer offers besides commands: nicks first, then channels. */
    List<String> completionWords() {
        return completionWords;
    }

    private void publish() {
        Set<String> words = new LinkedHashSet<>();
        for (ChannelInfo c : channels.values()) {
            words.addAll(c.members().values());
        }
        channels.values().forEach(c -> words.add(c.name()));
        completionWords = List.copyOf(words);
    }
}
