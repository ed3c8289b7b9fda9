-- Parley schema, version 6: session tokens, which log an account back in without its password.
-- Portable SQL: runs on SQLite and PostgreSQL.
CREATE TABLE session_tokens (
    id           VARCHAR(32) PRIMARY KEY,   -- the public part of the token, shown in NickServ TOKENS LIST
    account      VARCHAR(64) NOT NULL,      -- case-folded account name
    secret_hash  VARCHAR(64) NOT NULL,      -- lower-case hex SHA-256 of the secret part (never the secret)
    created_at   BIGINT      NOT NULL,      -- epoch milliseconds
    expires_at   BIGINT      NOT NULL       -- epoch milliseconds; the token no longer logs in from then
);
CREATE INDEX session_tokens_account ON session_tokens (account);
