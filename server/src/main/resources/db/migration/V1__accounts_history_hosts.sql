-- Parley schema, version 1. Portable SQL: runs on SQLite and PostgreSQL.

CREATE TABLE accounts (
    name           VARCHAR(64)  PRIMARY KEY,   -- case-folded account name
    display_name   VARCHAR(64)  NOT NULL,
    password_hash  VARCHAR(255) NOT NULL,      -- Argon2id, PHC string format
    email          VARCHAR(255),
    created_at     BIGINT       NOT NULL       -- epoch milliseconds
);

CREATE TABLE history (
    seq        BIGINT       NOT NULL,          -- server-assigned, increasing
    target     VARCHAR(200) NOT NULL,          -- case-folded channel, or a private conversation key
    msgid      VARCHAR(64)  NOT NULL,
    sent_at    BIGINT       NOT NULL,          -- epoch milliseconds
    sender     VARCHAR(300) NOT NULL,          -- nick!user@host
    account    VARCHAR(64),
    command    VARCHAR(16)  NOT NULL,          -- PRIVMSG or NOTICE
    recipient  VARCHAR(200) NOT NULL,          -- the target as sent (channel or nick)
    body       VARCHAR(2000) NOT NULL,
    PRIMARY KEY (seq)
);
CREATE INDEX history_target_seq ON history (target, seq);
CREATE INDEX history_target_time ON history (target, sent_at);
CREATE UNIQUE INDEX history_msgid ON history (msgid);

CREATE TABLE remembered_hosts (
    address  VARCHAR(64) PRIMARY KEY,
    nick     VARCHAR(64) NOT NULL,
    seen_at  BIGINT      NOT NULL
);
