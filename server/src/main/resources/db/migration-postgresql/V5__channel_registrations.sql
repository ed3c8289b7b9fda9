-- Parley schema, version 5, for PostgreSQL: channels registered with ChanServ, their access
-- lists, and the modes, topic and mask lists a registered channel keeps while nobody is in it.

CREATE TABLE channel_registrations (
    name           TEXT COLLATE "C" PRIMARY KEY,   -- case-folded channel name
    display_name   TEXT COLLATE "C" NOT NULL,      -- the name as registered
    founder        TEXT COLLATE "C" NOT NULL,      -- case-folded account name
    registered_at  BIGINT           NOT NULL,      -- epoch milliseconds
    history_key    TEXT COLLATE "C" NOT NULL,      -- what the channel's messages are stored under (history.target)
    flag_modes     TEXT COLLATE "C" NOT NULL,      -- the flag modes set, e.g. "nt"
    mode_key       TEXT COLLATE "C",               -- +k, or NULL
    mode_limit     INTEGER          NOT NULL,      -- +l, or 0
    topic          TEXT COLLATE "C",               -- NULL when none is set
    topic_by       TEXT COLLATE "C",
    topic_at       BIGINT                          -- epoch milliseconds
);
CREATE INDEX channel_registrations_founder ON channel_registrations (founder);

CREATE TABLE channel_access (
    channel       TEXT COLLATE "C" NOT NULL,       -- case-folded channel name
    account       TEXT COLLATE "C" NOT NULL,       -- case-folded account name
    access_level  TEXT COLLATE "C" NOT NULL,       -- op or voice
    set_by        TEXT COLLATE "C" NOT NULL,       -- the account that added it
    set_at        BIGINT           NOT NULL,       -- epoch milliseconds
    PRIMARY KEY (channel, account)
);
CREATE INDEX channel_access_account ON channel_access (account);

CREATE TABLE channel_masks (
    channel    TEXT COLLATE "C" NOT NULL,          -- case-folded channel name
    list_kind  TEXT COLLATE "C" NOT NULL,          -- b (ban) or I (invite exception)
    ordinal    INTEGER          NOT NULL,          -- the entry's place among the channel's masks (bans first, then exceptions)
    mask       TEXT COLLATE "C" NOT NULL,
    set_by     TEXT COLLATE "C" NOT NULL,
    set_at     BIGINT           NOT NULL,          -- epoch milliseconds
    PRIMARY KEY (channel, ordinal)
);
