-- The PostgreSQL read model that the prebuilds sink connector keeps in step with the streams.
-- Operators query these tables (docs/read-model.md); only the sink writes them.

CREATE TYPE prebuild_status AS ENUM ('normal', 'hard_limited', 'validation_failed');

CREATE TYPE claim_outcome AS ENUM ('claimed', 'no-prebuild-available', 'claim-failed');

-- One row per preset: the latest prebuilds.preset.state.v1 event of the compacted preset-state
-- topic. (source_partition, source_offset) is the Kafka position of the event the row holds; the
-- sink only replaces a row with an event at a later offset of the same partition.
CREATE TABLE preset_state (
    preset_id           text        PRIMARY KEY,
    preset_name         text,
    template_id         text        NOT NULL,
    template_name       text,
    template_version_id text,
    organization_id     text        NOT NULL,
    organization_name   text,
    active              boolean,
    status              prebuild_status NOT NULL,
    desired             integer     NOT NULL,
    running             integer     NOT NULL,
    eligible            integer     NOT NULL,
    updated_at          timestamptz NOT NULL,
    data                jsonb       NOT NULL,
    source_partition    integer     NOT NULL,
    source_offset       bigint      NOT NULL,
    written_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX preset_state_template_idx ON preset_state (template_id);
CREATE INDEX preset_state_organization_idx ON preset_state (organization_id);
CREATE INDEX preset_state_status_idx ON preset_state (status);

-- The position of the last tombstone applied per preset: a redelivered state event from before
-- it must not bring the preset back.
CREATE TABLE preset_state_tombstone (
    preset_id        text        PRIMARY KEY,
    source_partition integer     NOT NULL,
    source_offset    bigint      NOT NULL,
    deleted_at       timestamptz NOT NULL DEFAULT now()
);

-- Notifications sent to template admins; immutable, one row per notificationId.
CREATE TABLE notification (
    notification_id  text        PRIMARY KEY,
    event_type       text        NOT NULL,
    kind             text        NOT NULL,
    preset_id        text        NOT NULL,
    template_id      text        NOT NULL,
    organization_id  text        NOT NULL,
    recipients       jsonb       NOT NULL,
    created_at       timestamptz NOT NULL,
    data             jsonb       NOT NULL,
    source_partition integer     NOT NULL,
    source_offset    bigint      NOT NULL,
    written_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX notification_preset_idx ON notification (preset_id, created_at);
CREATE INDEX notification_template_idx ON notification (template_id, created_at);

-- Claim outcomes; immutable, one row per claimId.
CREATE TABLE claim_result (
    claim_id         text          PRIMARY KEY,
    event_type       text          NOT NULL,
    preset_id        text          NOT NULL,
    outcome          claim_outcome NOT NULL,
    workspace_id     text,
    user_id          text,
    reason           text,
    decided_at       timestamptz   NOT NULL,
    data             jsonb         NOT NULL,
    source_partition integer       NOT NULL,
    source_offset    bigint        NOT NULL,
    written_at       timestamptz   NOT NULL DEFAULT now()
);

CREATE INDEX claim_result_preset_idx ON claim_result (preset_id, decided_at);
CREATE INDEX claim_result_workspace_idx ON claim_result (workspace_id) WHERE workspace_id IS NOT NULL;
