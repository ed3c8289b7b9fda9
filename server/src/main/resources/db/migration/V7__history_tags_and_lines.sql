-- Client-only tags stored with a message (reactions, replies) and the line composition of a
-- draft/multiline message, which is stored as one entry.
ALTER TABLE history ADD COLUMN tags VARCHAR(4200);
ALTER TABLE history ADD COLUMN line_joins VARCHAR(10000);
