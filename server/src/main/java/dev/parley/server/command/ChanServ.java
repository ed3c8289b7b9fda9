package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Names;
import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.service.ChannelRegistry;
import dev.parley.server.service.ChannelRegistry.Level;
import dev.parley.server.service.ChannelRegistry.Registration;
import dev.parley.server.session.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The built-in ChanServ service: {@code /msg ChanServ REGISTER <#channel>}, {@code DROP},
 * {@code INFO}, {@code ACCESS LIST|ADD|DEL}, {@code OP}, {@code DEOP}, {@code VOICE},
 * {@code DEVOICE}, {@code HELP}; also reached as the {@code CS} and {@code CHANSERV} commands.
 * Replies are NOTICEs from ChanServ.
 *
 * <p>A registered channel's founder and access list live in the {@link ChannelRegistry}; the
 * modes, topic and lists it keeps are saved by the hub as they change, with no command here.
 * Registration and dropping are {@link Change}s the hub applies; what must reach the disk
 * before ChanServ says it is done ({@link ChannelRegistry#flush}) waits on an offloaded
 * thread ({@link Session#offload}), never on the reader. Runs on the client's reader.
 */
final class ChanServ {
    static final String NICK = Hub.CHANSERV;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ChanServ() {
    }

    static void register(CommandTable t) {
        t.addWithSession("CHANSERV", 1, false, (s, m) -> handle(s, String.join(" ", m.params())));
        t.addWithSession("CS", 1, false, (s, m) -> handle(s, String.join(" ", m.params())));
    }

    static void notice(Client c, String text) {
        c.send(IrcMessage.from(c.hub().serviceSource(NICK), "NOTICE", c.nickOrStar(), text));
    }

    /** Handles one request (the text of a PRIVMSG to ChanServ). Reader only. */
    static void handle(Session s, String text) {
        Client c = s.client();
        String[] w = text.trim().split(" +");
        String cmd = w.length == 0 ? "" : w[0].toUpperCase(Locale.ROOT);
        if (c.hub().channelRegistry() == null) {
            notice(c, "Channel registration is not available on this server.");
            return;
        }
        switch (cmd) {
            case "REGISTER" -> register(s, w);
            case "DROP" -> drop(s, w);
            case "INFO" -> info(c, w);
            case "ACCESS" -> access(s, w);
            case "OP", "DEOP", "VOICE", "DEVOICE" -> prefix(c, cmd, w);
            case "HELP", "" -> help(c);
            default -> notice(c, "Unknown command " + cmd + ". Try /msg ChanServ HELP.");
        }
    }

    private static void help(Client c) {
        notice(c, "ChanServ keeps channels for their founders: a registered channel keeps its modes, topic,"
                + " ban and invite-exception lists and its history while it is empty and across restarts,"
                + " and gives the accounts on its access list +o or +v when they join. Commands:");
        notice(c, "REGISTER <#channel> - register a channel you are an operator of; your account becomes its founder");
        notice(c, "INFO <#channel> - show a channel's founder and registration");
        notice(c, "ACCESS <#channel> LIST - show the access list");
        notice(c, "ACCESS <#channel> ADD <account> <op|voice> - give an account +o or +v when it joins");
        notice(c, "ACCESS <#channel> DEL <account> - take an account off the access list");
        notice(c, "OP|DEOP|VOICE|DEVOICE <#channel> [nick] - set or take +o or +v, yours or (with op access) another's");
        notice(c, "DROP <#channel> - unregister a channel you founded (asks for a confirmation code first)");
        notice(c, "Modes, topic and lists are kept as you set them with MODE and TOPIC.");
    }

    /**
     * {@code c} just logged in: in the registered channels it is in already, ChanServ gives it
     * what its access level gives, as it would have on JOIN. Reader only.
     */
    static void loggedIn(Client c) {
        Hub hub = c.hub();
        ChannelRegistry registry = hub.channelRegistry();
        if (registry == null || c.account() == null) {
            return;
        }
        for (Channel ch : c.channels()) {
            Registration reg = registry.find(ch.key());
            Level level = reg == null || !reg.historyKey().equals(ch.historyKey()) ? null
                    : reg.levelOf(c.account(), hub.caseMapping());
            if (level != null) {
                hub.apply(new Change.ServiceModes(ch, List.of(new Change.ModeChange(true, level == Level.VOICE ? 'v' : 'o',
                        c.nick()))));
            }
        }
    }

    // REGISTER <#channel>
    private static void register(Session s, String[] w) {
        Client c = s.client();
        Hub hub = c.hub();
        if (w.length < 2 || !Names.isChannel(w[1])) {
            notice(c, "Syntax: REGISTER <#channel>");
            return;
        }
        if (c.account() == null) {
            notice(c, "You must be logged in to an account to register a channel: /msg NickServ IDENTIFY <password>.");
            return;
        }
        if (hub.config().channelsPerAccount() == 0) {
            notice(c, "Channel registration is turned off on this server.");
            return;
        }
        Channel ch = hub.findChannel(w[1]);
        if (ch == null || !c.isOn(ch)) {
            notice(c, "You must be in " + w[1] + " and one of its operators to register it.");
            return;
        }
        switch (hub.apply(new Change.RegisterChannel(c, ch))) {
            case REGISTERED -> {
                String account = c.account();
                s.offload(() -> {
                    hub.channelRegistry().flush();
                    return null;
                }, done -> notice(c, "Channel " + ch.name() + " is now registered to your account " + account
                        + ". It keeps its modes, topic, lists and history while empty; you get +o when you join."));
            }
            case NOT_LOGGED_IN -> notice(c, "You must be logged in to an account to register a channel.");
            case NOT_OPERATOR -> notice(c, "You must be a channel operator of " + ch.name() + " to register it.");
            case ALREADY_REGISTERED -> notice(c, ch.name() + " is already registered.");
            case TOO_MANY -> notice(c, "Your account has registered " + hub.config().channelsPerAccount()
                    + " channels already, the most allowed. Drop one first.");
            case GONE -> notice(c, "You must be in " + w[1] + " and one of its operators to register it.");
        }
    }

    // DROP <#channel> [<code>]
    private static void drop(Session s, String[] w) {
        Client c = s.client();
        Hub hub = c.hub();
        if (w.length < 2 || !Names.isChannel(w[1])) {
            notice(c, "Syntax: DROP <#channel>");
            return;
        }
        Registration reg = find(c, w[1]);
        if (reg == null) {
            notice(c, w[1] + " is not registered.");
            return;
        }
        boolean founder = reg.levelOf(c.account(), hub.caseMapping()) == Level.FOUNDER;
        if (!founder && !c.isOper()) {
            notice(c, "Only the founder of " + reg.displayName() + " may drop it.");
            return;
        }
        String code = dropCode(reg);
        if (w.length < 3) {
            notice(c, "Dropping " + reg.displayName() + " deletes its registration, access list, kept modes and topic,"
                    + " and its history once it is empty. To go ahead, type: /msg ChanServ DROP " + reg.displayName() + " " + code);
            return;
        }
        if (!w[2].equalsIgnoreCase(code)) {
            notice(c, "That is not the confirmation code. Type /msg ChanServ DROP " + reg.displayName() + " to get it.");
            return;
        }
        switch (hub.apply(new Change.DropChannel(c, reg.name(), !founder))) {
            case DROPPED -> s.offload(() -> {
                hub.channelRegistry().flush();
                return null;
            }, done -> notice(c, "Channel " + reg.displayName() + " has been dropped."));
            case NOT_REGISTERED -> notice(c, reg.displayName() + " is not registered.");
            case NOT_FOUNDER -> notice(c, "Only the founder of " + reg.displayName() + " may drop it.");
        }
    }

    /**
     * The registration of channel {@code name} as {@code c} may see it: a secret ({@code +s})
     * channel's exists only for those on its access list, in it, or server operators, as MODE
     * and LIST hide a secret channel from everyone else. Null otherwise, or when unregistered.
     */
    private static Registration find(Client c, String name) {
        Hub hub = c.hub();
        Registration reg = hub.channelRegistry().find(hub.caseMapping().fold(name));
        if (reg == null || reg.kept().flagModes().indexOf('s') < 0 || c.isOper()
                || reg.levelOf(c.account(), hub.caseMapping()) != null) {
            return reg;
        }
        Channel live = hub.findChannel(reg.name());
        return live != null && c.isOn(live) ? reg : null;
    }

    /** What confirms a DROP: the same for one registration, unguessable from outside it. */
    static String dropCode(Registration reg) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest(("drop\n" + reg.name() + "\n" + reg.registeredAtMillis() + "\n" + reg.historyKey())
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // INFO <#channel>
    private static void info(Client c, String[] w) {
        Hub hub = c.hub();
        if (w.length < 2 || !Names.isChannel(w[1])) {
            notice(c, "Syntax: INFO <#channel>");
            return;
        }
        Registration reg = find(c, w[1]);
        if (reg == null) {
            notice(c, w[1] + " is not registered.");
            return;
        }
        notice(c, "Channel " + reg.displayName() + " is registered to " + reg.founder() + " since "
                + TIME.format(Instant.ofEpochMilli(reg.registeredAtMillis())) + ".");
        Level mine = reg.levelOf(c.account(), hub.caseMapping());
        if (mine != null) {
            notice(c, "Your access: " + mine.word() + ".");
        }
        if (mine != null || c.isOper()) {
            ChannelRegistry.Kept k = reg.kept();
            notice(c, "Access list: " + reg.access().size() + " accounts. Kept modes: +" + k.flagModes()
                    + (k.key() != null ? "k" : "") + (k.limit() > 0 ? "l" : "")
                    + (k.topic() != null ? "; topic set by " + k.topicBy() : "; no topic") + ".");
        } else {
            notice(c, "Access list: " + reg.access().size() + " accounts.");
        }
    }

    // ACCESS <#channel> LIST | ADD <account> <op|voice> | DEL <account>
    private static void access(Session s, String[] w) {
        Client c = s.client();
        Hub hub = c.hub();
        String syntax = "Syntax: ACCESS <#channel> LIST | ACCESS <#channel> ADD <account> <op|voice> | ACCESS <#channel> DEL <account>";
        if (w.length < 3 || !Names.isChannel(w[1])) {
            notice(c, syntax);
            return;
        }
        ChannelRegistry registry = hub.channelRegistry();
        Registration reg = find(c, w[1]);
        if (reg == null) {
            notice(c, w[1] + " is not registered.");
            return;
        }
        Level mine = reg.levelOf(c.account(), hub.caseMapping());
        String sub = w[2].toUpperCase(Locale.ROOT);
        switch (sub) {
            case "LIST" -> {
                if (mine == null && !c.isOper()) {
                    notice(c, "You have no access to " + reg.displayName() + ".");
                    return;
                }
                notice(c, "Access list of " + reg.displayName() + ":");
                notice(c, reg.founder() + " founder");
                for (ChannelRegistry.Access a : reg.access()) {
                    notice(c, a.account() + " " + a.level().word() + " (added by " + a.setBy() + ", "
                            + TIME.format(Instant.ofEpochMilli(a.setAtMillis())) + ")");
                }
                notice(c, "End of list (" + reg.access().size() + " accounts and the founder).");
            }
            case "ADD", "DEL" -> {
                boolean add = sub.equals("ADD");
                if (w.length < (add ? 5 : 4)) {
                    notice(c, syntax);
                    return;
                }
                Level wanted = add ? Level.parse(w[4]) : null;
                if (add && wanted == null) {
                    notice(c, "The access level must be op or voice.");
                    return;
                }
                String who = w[3];
                Level theirs = reg.levelOf(who, hub.caseMapping());
                if (theirs == Level.FOUNDER) {
                    notice(c, who + " founded " + reg.displayName() + "; the founder's access cannot be changed.");
                    return;
                }
                // the founder changes any entry; an operator only voice entries, and may take itself off
                boolean self = c.account() != null && hub.caseMapping().equals(c.account(), who);
                boolean allowed = mine == Level.FOUNDER
                        || (mine == Level.OP && (add ? wanted == Level.VOICE && theirs != Level.OP
                                : theirs != Level.OP || self));
                if (!allowed) {
                    notice(c, mine == null ? "You have no access to " + reg.displayName() + "."
                            : "You may not change that entry of " + reg.displayName() + "'s access list.");
                    return;
                }
                if (add && !hub.accounts().exists(who)) {
                    notice(c, who + " is not a registered account.");
                    return;
                }
                String by = c.account();
                long now = hub.now();
                int max = hub.config().channelAccessMax();
                s.offload(() -> {
                    String name = add ? hub.accounts().find(who).map(a -> a.displayName()).orElse(null) : who;
                    if (name == null) {
                        return null;
                    }
                    ChannelRegistry.AccessOutcome r = hub.apply(new Change.ChannelAccess(reg.name(), name, wanted, by, max));
                    registry.flush();
                    return r;
                }, r -> {
                    if (r == null) {
                        notice(c, who + " is not a registered account.");
                        return;
                    }
                    switch (r) {
                        case ADDED -> notice(c, who + " added to the access list of " + reg.displayName() + " as "
                                + wanted.word() + ".");
                        case CHANGED -> notice(c, who + " is now " + wanted.word() + " on " + reg.displayName() + ".");
                        case UNCHANGED -> notice(c, who + " is " + wanted.word() + " on " + reg.displayName() + " already.");
                        case REMOVED -> notice(c, who + " removed from the access list of " + reg.displayName() + ".");
                        case NOT_LISTED -> notice(c, who + " is not on the access list of " + reg.displayName() + ".");
                        case FULL -> notice(c, "The access list of " + reg.displayName() + " holds " + max
                                + " accounts, the most allowed.");
                        case IS_FOUNDER -> notice(c, who + " founded " + reg.displayName()
                                + "; the founder's access cannot be changed.");
                        case NOT_REGISTERED -> notice(c, reg.displayName() + " is not registered.");
                    }
                });
            }
            default -> notice(c, syntax);
        }
    }

    // OP|DEOP|VOICE|DEVOICE <#channel> [<nick>]
    private static void prefix(Client c, String cmd, String[] w) {
        Hub hub = c.hub();
        if (w.length < 2 || !Names.isChannel(w[1])) {
            notice(c, "Syntax: " + cmd + " <#channel> [nick]");
            return;
        }
        Registration reg = find(c, w[1]);
        if (reg == null) {
            notice(c, w[1] + " is not registered.");
            return;
        }
        Channel ch = hub.findChannel(reg.name());
        String nick = w.length > 2 ? w[2] : c.nick();
        Client target = hub.findNick(nick);
        if (ch == null || target == null || !target.isOn(ch)) {
            notice(c, nick + " is not on " + reg.displayName() + ".");
            return;
        }
        Level mine = reg.levelOf(c.account(), hub.caseMapping());
        boolean adding = cmd.equals("OP") || cmd.equals("VOICE");
        char mode = cmd.endsWith("OP") ? 'o' : 'v';
        boolean allowed;
        if (target == c) {
            // anyone may take their own +o or +v; giving it needs that much access
            allowed = !adding || (mine != null && (mode == 'v' || mine != Level.VOICE));
        } else {
            Level theirs = reg.levelOf(target.account(), hub.caseMapping());
            allowed = (mine == Level.OP || mine == Level.FOUNDER)
                    && (adding || theirs == null || theirs.compareTo(mine) < 0);
        }
        if (!allowed) {
            notice(c, mine == null ? "You have no access to " + reg.displayName() + "."
                    : "Your access to " + reg.displayName() + " does not allow that.");
            return;
        }
        List<Change.ModeOutcome> done = hub.apply(new Change.ServiceModes(ch,
                List.of(new Change.ModeChange(adding, mode, target.nick()))));
        if (done.isEmpty() || done.get(0).status() == Change.ModeStatus.NOT_ON_CHANNEL
                || done.get(0).status() == Change.ModeStatus.NO_SUCH_NICK) {
            notice(c, nick + " is not on " + reg.displayName() + ".");
        }
    }
}
