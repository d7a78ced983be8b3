-- Fail closed end to end (issue 11). What dosing knows of monitoring's evaluation being current:
-- per patient, up to which intake sequence its stored evaluation includes the accepted observations, and the epoch
-- of monitoring's evaluation state (evaluations are ordered by (state_epoch, sequence));
alter table patient_evaluation add column intake_sequence bigint not null default 0;
alter table patient_evaluation add column state_epoch timestamptz;

-- per partition of monitoring's evaluation, its newest checkpoint (alive as of checkpoint_at, in order with the
-- partition's evaluations) and the patients it reports failing;
create table evaluation_checkpoint (
    partition_no       integer     primary key,
    partitions         integer     not null,
    checkpoint_at      timestamptz not null,
    received_at        timestamptz not null,
    failures           text        not null default '[]',
    failures_truncated boolean     not null default false
);

-- per open course, since when its evaluation is announced lapsed (evaluation-lapsed sent, evaluation-restored not yet).
alter table course add column evaluation_lapsed_since timestamptz;
alter table course add column evaluation_lapse_reason text;
