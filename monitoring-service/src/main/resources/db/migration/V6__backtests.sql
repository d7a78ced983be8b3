-- Back-tests: a protocol (shipped, or a draft in the request) replayed over stored histories, read-only. The request,
-- its progress and the report are kept, so the report can be read (JSON, CSV) after the job and across restarts.
create table backtest (
    id               uuid        primary key,
    requested_by     text        not null,
    requested_at     timestamptz not null,
    protocol_id      text        not null,
    protocol_version text        not null,
    draft            boolean     not null,
    request          text        not null,
    status           text        not null,
    patients_total   integer     not null,
    patients_done    integer     not null default 0,
    report           text,
    error            text,
    finished_at      timestamptz,
    -- the worker's heartbeat: a QUEUED or RUNNING job whose heartbeat stopped (its replica stopped) is marked FAILED
    updated_at       timestamptz not null
);
create index backtest_requested on backtest (requested_at desc);
