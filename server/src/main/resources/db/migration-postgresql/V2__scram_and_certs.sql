-- Parley schema, version 2, for PostgreSQL: SCRAM-SHA-256 verifiers and client certificates
-- bound to accounts.

-- RFC 5803 form: SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey> (never the password);
-- null until the account's password is next set or used to log in.
ALTER TABLE accounts ADD COLUMN scram TEXT COLLATE "C";

CREATE TABLE account_certs (
    fingerprint  TEXT COLLATE "C" PRIMARY KEY,   -- lower-case hex SHA-256 of the client certificate
    account      TEXT COLLATE "C" NOT NULL,      -- case-folded account name
    added_at     BIGINT           NOT NULL       -- epoch milliseconds
);
CREATE INDEX account_certs_account ON account_certs (account);
