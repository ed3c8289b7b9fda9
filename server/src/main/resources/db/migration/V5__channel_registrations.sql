-- Parley schema, version 5: channels registered with ChanServ, their access lists, and the
-- modes, topic and mask lists a registered channel keeps while nobody is in it.
-- Portable SQL: runs on SQLite and PostgreSQL.

CREATE TABLE channel_registrations (
    name           VARCHAR(200)  PRIMARY KEY,   -- case-folded channel name
    display_name   VARCHAR(200)  NOT NULL,      -- the name as registered
    founder        VARCHAR(64)   NOT NULL,      -- case-folded account name
    registered_at  BIGINT        NOT NULL,      -- epoch milliseconds
    history_key    VARCHAR(300)  NOT NULL,      -- what the channel's messages are stored under (history.target)
    flag_modes     VARCHAR(16)   NOT NULL,      -- the flag modes set, e.g. "nt"
    mode_key       VARCHAR(64),                 -- +k, or NULL
    mode_limit     INTEGER       NOT NULL,      -- +l, or 0
    topic          VARCHAR(1000),               -- NULL when none is set
    topic_by       VARCHAR(300),
    topic_at       BIGINT                       -- epoch milliseconds
);
CREATE INDEX channel_registrations_founder ON channel_registrations (founder);

CREATE TABLE channel_access (
    channel       VARCHAR(200) NOT NULL,        -- case-folded channel name
    account       VARCHAR(64)  NOT NULL,        -- case-folded account name
    access_level  VARCHAR(8)   NOT NULL,        -- op or voice
    set_by        VARCHAR(64)  NOT NULL,        -- the account that added it
    set_at        BIGINT       NOT NULL,        -- epoch milliseconds
    PRIMARY KEY (channel, account)
);
CREATE INDEX channel_access_account ON channel_access (account);

CREATE TABLE channel_masks (
    channel    VARCHAR(200) NOT NULL,           -- case-folded channel name
    list_kind  VARCHAR(1)   NOT NULL,           -- b (ban) or I (invite exception)
    ordinal    INTEGER      NOT NULL,           -- the entry's place among the channel's masks (bans first, then exceptions)
    mask       VARCHAR(400) NOT NULL,
    set_by     VARCHAR(300) NOT NULL,
    set_at     BIGINT       NOT NULL,           -- epoch milliseconds
    PRIMARY KEY (channel, ordinal)
);
