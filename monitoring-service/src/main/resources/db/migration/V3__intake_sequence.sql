-- Fail closed end to end (issue 11): per patient, the order in which monitoring accepted its observations. The
-- evaluation says up to which intake sequence it has taken a patient's observations into account; dosing compares
-- that with what was accepted (GET /api/v1/patients/{id}/intake) before it answers GIVE.
create table patient_intake (
    patient_id       text        primary key,
    last_sequence    bigint      not null,
    last_accepted_at timestamptz not null
);
alter table observation add column intake_sequence bigint;
create index observation_patient_intake on observation (patient_id, intake_sequence) where intake_sequence is not null;

-- Evaluations are ordered by (state_epoch, sequence): a patient's state rebuilt after being forgotten starts a new epoch.
alter table patient_evaluation add column state_epoch timestamptz;
