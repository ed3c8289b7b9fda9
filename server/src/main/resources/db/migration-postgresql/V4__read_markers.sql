-- Parley schema, version 4, for PostgreSQL: read markers (IRCv3 draft/read-marker), one per
-- account and target.
CREATE TABLE read_markers (
    account  TEXT COLLATE "C" NOT NULL,          -- case-folded account name
    target   TEXT COLLATE "C" NOT NULL,          -- case-folded channel name or nick
    read_at  BIGINT           NOT NULL,          -- epoch milliseconds of the last message read; only grows
    PRIMARY KEY (account, target)
);
