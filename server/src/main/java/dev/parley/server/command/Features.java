package dev.parley.server.command;

import static dev.parley.protocol.Numerics.RPL_ISUPPORT;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.Isupport;
import dev.parley.protocol.Names;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.ExtBan;
import dev.parley.server.core.UserMode;

/** Builds RPL_ISUPPORT from configuration, in one place. */
final class Features {
    private Features() {
    }

    static Isupport isupport(ServerConfig cfg, CaseMapping mapping) {
        Isupport is = new Isupport()
                .put("NETWORK", cfg.networkName())
                .put("CASEMAPPING", mapping.token())
                .put("CHANTYPES", Names.CHANTYPES)
                .put("CHANLIMIT", Names.CHANTYPES + ":" + cfg.maxChannelsPerUser())
                .put("PREFIX", "(ov)@+")
                .put("CHANMODES", ModeCommands.CHANMODES)
                .put("MODES", cfg.modesPerCommand())
                .put("MAXLIST", "bI:" + cfg.maxListEntries())
                .put("STATUSMSG", MessageCommands.STATUSMSG)
                .put("ELIST", "MNU")
                .put("INVEX", "I")
                .put("EXTBAN", ExtBan.ISUPPORT)
                .put("ACCOUNTEXTBAN", String.valueOf(ExtBan.ACCOUNT))
                .put("WHOX", null)
                .put("BOT", String.valueOf(UserMode.BOT))
                .put("MONITOR", cfg.monitorLimit());
        if (cfg.historyEnabled()) {
            is.put("CHATHISTORY", HistoryCommands.MAX_LIMIT)
                    .put("MSGREFTYPES", "msgid,timestamp");
        }
        is.put("NICKLEN", cfg.nickLength())
                .put("USERLEN", cfg.userLength())
                .put("CHANNELLEN", cfg.channelLength())
                .put("TOPICLEN", cfg.topicLength())
                .put("KICKLEN", cfg.kickLength())
                .put("AWAYLEN", cfg.awayLength())
                .put("MAXTARGETS", cfg.maxTargets())
                .put("TARGMAX", "PRIVMSG:" + cfg.maxTargets() + ",NOTICE:" + cfg.maxTargets() + ",TAGMSG:"
                        + cfg.maxTargets() + ",WHOIS:" + cfg.maxTargets() + ",JOIN:,PART:,KICK:,NAMES:,LIST:")
                .put("LINELEN", cfg.maxLineBytes() + 2);
        if (cfg.utf8Only()) {
            is.put("UTF8ONLY", null);
        }
        return is;
    }
}
