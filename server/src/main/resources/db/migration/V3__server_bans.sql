-- Server bans set by operators: K-lines (user@host masks) and D-lines (addresses and CIDR blocks).
CREATE TABLE server_bans (
    kind        VARCHAR(1)   NOT NULL,          -- K or D
    mask        VARCHAR(200) NOT NULL,          -- user@host for K, address or CIDR for D (canonical form)
    reason      VARCHAR(400) NOT NULL,
    set_by      VARCHAR(200) NOT NULL,
    set_at      BIGINT       NOT NULL,          -- epoch milliseconds
    expires_at  BIGINT,                         -- epoch milliseconds; NULL for a permanent ban
    PRIMARY KEY (kind, mask)
);
