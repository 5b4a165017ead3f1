-- The exact script each build ran, for replay and restart from a stage. Builds of a job nearly
-- always share one script version, so each distinct text is stored once, keyed by its SHA-256,
-- and builds point at it: 10,000 builds of an unchanged job hold one copy.
CREATE TABLE build_scripts (
    hash   CHAR(64) PRIMARY KEY,
    script CHARACTER VARYING(1000000) NOT NULL
);

-- NULL until the build starts (or, for a replay or restart, from the moment it is queued).
ALTER TABLE builds ADD COLUMN script_hash CHAR(64);
-- The build this one replays or restarts, and the top-level stage a restart begins at.
ALTER TABLE builds ADD COLUMN origin_number INTEGER;
ALTER TABLE builds ADD COLUMN restart_stage CHARACTER VARYING(1000);

CREATE INDEX builds_by_script ON builds (script_hash);
ALTER TABLE builds ADD CONSTRAINT builds_script_fk FOREIGN KEY (script_hash) REFERENCES build_scripts (hash);
