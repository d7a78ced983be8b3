-- Ingestion: every catalog parameter, coded values, periods, status and the sender's id (issue 5).
alter table observation add column parameter text;
alter table observation add column sender_id text;
alter table observation add column value_code text;
alter table observation add column effective_start timestamptz;
alter table observation add column status text not null default 'final';
alter table observation add column source_id text;
update observation set parameter = 'systolic-bp' where parameter is null;
alter table observation alter column parameter set not null;
alter table observation alter column original_value drop not null;
alter table observation alter column original_unit drop not null;
create index observation_patient_parameter on observation (patient_id, parameter, effective_time desc);
create index observation_patient_code on observation (patient_id, code, effective_time desc);

-- What dosing events say about each patient's therapy (published on as therapy-updated).
create table patient_therapy (
    patient_id         text          primary key,
    course_id          uuid          not null,
    on_therapy         boolean       not null,
    baseline_weight_kg numeric(7,3),
    ordered_at         timestamptz,
    last_dose_at       timestamptz,
    updated_at         timestamptz   not null
);

-- Doses given per course, so that a corrected (entered-in-error) dose no longer counts as the last dose.
create table therapy_dose (
    record_id   uuid        primary key,
    course_id   uuid        not null,
    patient_id  text        not null,
    started_at  timestamptz not null,
    corrected   boolean     not null default false
);
create index therapy_dose_course on therapy_dose (course_id, started_at desc);

-- The newest evaluation per patient, projected from the findings topic, returned as published.
create table patient_evaluation (
    patient_id   text        primary key,
    sequence     bigint      not null,
    evaluated_at timestamptz not null,
    evaluation   jsonb       not null,
    event_id     text        not null,
    received_at  timestamptz not null
);
