-- Parley schema, version 6, for PostgreSQL: session tokens, which log an account back in
-- without its password.
CREATE TABLE session_tokens (
    id           TEXT COLLATE "C" PRIMARY KEY,   -- the public part of the token, shown in NickServ TOKENS LIST
    account      TEXT COLLATE "C" NOT NULL,      -- case-folded account name
    secret_hash  TEXT COLLATE "C" NOT NULL,      -- lower-case hex SHA-256 of the secret part (never the secret)
    created_at   BIGINT           NOT NULL,      -- epoch milliseconds
    expires_at   BIGINT           NOT NULL       -- epoch milliseconds; the token no longer logs in from then
);
CREATE INDEX session_tokens_account ON session_tokens (account);
