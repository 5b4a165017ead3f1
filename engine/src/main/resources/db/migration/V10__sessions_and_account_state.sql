-- Browser sessions survive a controller restart (issue 05/06): only the SHA-256 of the session id
-- (the cookie) is kept, so a copy of the database signs nobody in. last_seen is written at most
-- once a minute per session; expired rows are pruned at start and while signing in.
CREATE TABLE sessions (
    id_hash   VARCHAR(64) NOT NULL PRIMARY KEY,
    username  VARCHAR(100) NOT NULL,
    created   TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    last_seen TIMESTAMP(9) WITH TIME ZONE NOT NULL
);
CREATE INDEX sessions_user ON sessions (username);

-- When a token last authenticated a request (at most once a minute is written); null: never.
ALTER TABLE api_tokens ADD COLUMN last_used TIMESTAMP(9) WITH TIME ZONE;

-- A disabled user keeps their grants and tokens but cannot sign in or use them.
ALTER TABLE users ADD COLUMN disabled BOOLEAN DEFAULT FALSE NOT NULL;

-- The line of the script that ran a rejected signature first (null: not known).
ALTER TABLE script_approvals ADD COLUMN first_line INTEGER;
