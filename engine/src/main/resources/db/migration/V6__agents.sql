-- Registered agents (issue 03). The secret is never stored, only its SHA-256: secrets are 256
-- random bits, so a fast hash is as strong as a slow one and costs nothing per protocol call.
CREATE TABLE agents (
    name        VARCHAR(100) NOT NULL PRIMARY KEY,
    -- Space-separated; labels contain no spaces.
    labels      CHARACTER VARYING(10000) NOT NULL,
    executors   INTEGER NOT NULL,
    secret_hash VARCHAR(64) NOT NULL,
    created     TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    CONSTRAINT agents_executors_check CHECK (executors BETWEEN 1 AND 1000)
);
