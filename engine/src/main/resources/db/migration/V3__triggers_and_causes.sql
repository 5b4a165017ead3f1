-- Triggers of jobs (declarative triggers { } and scripted pipelineTriggers), read from the script
-- when the job is saved; build causes; what a build leaves for its successors and callers.

CREATE TABLE job_triggers (
    job_id            BIGINT NOT NULL,
    position          INTEGER NOT NULL,
    kind              VARCHAR(16) NOT NULL,
    -- cron and pollSCM: the spec as written (several lines, TZ=, comments).
    spec              CHARACTER VARYING(10000),
    -- upstream: the comma-separated job names as written, and the worst result that still triggers.
    upstream_projects CHARACTER VARYING(10000),
    threshold         VARCHAR(16),
    CONSTRAINT job_triggers_pk PRIMARY KEY (job_id, position),
    CONSTRAINT job_triggers_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
    CONSTRAINT job_triggers_kind_check CHECK (kind IN ('cron', 'pollSCM', 'upstream'))
);

-- The last minute a job was started by its timer: claimed before the build is queued, so that a
-- minute never starts two builds, also across a restart. Kept when the job's triggers change.
CREATE TABLE job_timer (
    job_id      BIGINT NOT NULL PRIMARY KEY,
    last_minute TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    CONSTRAINT job_timer_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
);

-- Every cause of a build as JSON [{"type", "shortDescription", ...}]; builds.cause keeps the first's text.
ALTER TABLE builds ADD COLUMN causes CHARACTER VARYING(1000000) NOT NULL DEFAULT '[]';
-- Variables the pipeline set (env.X = ...) and its parameters: currentBuild.buildVariables of a
-- downstream build; display name and description as the pipeline left them.
ALTER TABLE builds ADD COLUMN variables CHARACTER VARYING(1000000) NOT NULL DEFAULT '{}';
ALTER TABLE builds ADD COLUMN display_name CHARACTER VARYING(10000);
ALTER TABLE builds ADD COLUMN description CHARACTER VARYING(100000);
