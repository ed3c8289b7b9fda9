-- Parley schema, version 7, for PostgreSQL: client-only tags stored with a message (reactions,
-- replies) and the line composition of a draft/multiline message, which is stored as one entry.
ALTER TABLE history ADD COLUMN tags TEXT COLLATE "C";
ALTER TABLE history ADD COLUMN line_joins TEXT COLLATE "C";
