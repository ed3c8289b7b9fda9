-- Parley schema, version 1, for PostgreSQL: the same tables and columns as db/migration/V1.
-- Text is TEXT COLLATE "C" throughout: no length limit (as in SQLite), and code-point order
-- for comparisons and ORDER BY whatever the database's locale, as SQLite's BINARY collation.

CREATE TABLE accounts (
    name           TEXT COLLATE "C" PRIMARY KEY,   -- case-folded account name
    display_name   TEXT COLLATE "C" NOT NULL,
    password_hash  TEXT COLLATE "C" NOT NULL,      -- Argon2id, PHC string format
    email          TEXT COLLATE "C",
    created_at     BIGINT           NOT NULL       -- epoch milliseconds
);

CREATE TABLE history (
    seq        BIGINT           NOT NULL,          -- server-assigned, increasing
    target     TEXT COLLATE "C" NOT NULL,          -- case-folded channel, or a private conversation key
    msgid      TEXT COLLATE "C" NOT NULL,
    sent_at    BIGINT           NOT NULL,          -- epoch milliseconds
    sender     TEXT COLLATE "C" NOT NULL,          -- nick!user@host
    account    TEXT COLLATE "C",
    command    TEXT COLLATE "C" NOT NULL,          -- PRIVMSG or NOTICE
    recipient  TEXT COLLATE "C" NOT NULL,          -- the target as sent (channel or nick)
    body       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (seq)
);
CREATE INDEX history_target_seq ON history (target, seq);
CREATE INDEX history_target_time ON history (target, sent_at);
CREATE UNIQUE INDEX history_msgid ON history (msgid);

CREATE TABLE remembered_hosts (
    address  TEXT COLLATE "C" PRIMARY KEY,
    nick     TEXT COLLATE "C" NOT NULL,
    seen_at  BIGINT           NOT NULL
);
