-- Parley schema, version 4: read markers (IRCv3 draft/read-marker), one per account and target.
-- Portable SQL: runs on SQLite and PostgreSQL.
CREATE TABLE read_markers (
    account  VARCHAR(64)  NOT NULL,          -- case-folded account name
    target   VARCHAR(200) NOT NULL,          -- case-folded channel name or nick
    read_at  BIGINT       NOT NULL,          -- epoch milliseconds of the last message read; only grows
    PRIMARY KEY (account, target)
);
