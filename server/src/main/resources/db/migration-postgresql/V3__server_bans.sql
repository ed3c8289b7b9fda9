-- Parley schema, version 3, for PostgreSQL: server bans set by operators, K-lines (user@host
-- masks) and D-lines (addresses and CIDR blocks).
CREATE TABLE server_bans (
    kind        TEXT COLLATE "C" NOT NULL,          -- K or D
    mask        TEXT COLLATE "C" NOT NULL,          -- user@host for K, address or CIDR for D (canonical form)
    reason      TEXT COLLATE "C" NOT NULL,
    set_by      TEXT COLLATE "C" NOT NULL,
    set_at      BIGINT           NOT NULL,          -- epoch milliseconds
    expires_at  BIGINT,                             -- epoch milliseconds; NULL for a permanent ban
    PRIMARY KEY (kind, mask)
);
