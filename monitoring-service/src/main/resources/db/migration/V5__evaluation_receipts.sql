-- Evaluation receipts: up to which intake sequence the patient's current evaluation includes the accepted
-- observations (from evaluation-updated, and advanced by the checkpoints between two of them), and the observations
-- the evaluation could not evaluate (from the checkpoints' failures).
alter table patient_evaluation add column evaluated_through bigint not null default 0;

create table observation_evaluation_failure (
    observation_id text        primary key,
    patient_id     text        not null,
    reason         text        not null,
    since          timestamptz not null
);
create index observation_evaluation_failure_patient on observation_evaluation_failure (patient_id);
