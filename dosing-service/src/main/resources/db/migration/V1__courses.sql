-- What dosing knows of other services, from their events (event-carried state)
create table patient_screening (
    patient_id       text        primary key,
    screening_id     uuid        not null,
    outcome          text        not null,
    protocol_id      text        not null,
    protocol_version text        not null,
    screened_at      timestamptz not null,
    event_id         text        not null
);

create table patient_evaluation (
    patient_id       text        primary key,
    sequence         bigint      not null,
    evaluated_at     timestamptz not null,
    protocol_id      text        not null,
    latest_inputs    text        not null,
    active_findings  text        not null,
    received_at      timestamptz not null,
    event_id         text        not null
);

-- The dosing service's own records
create table course (
    id               uuid          primary key,
    patient_id       text          not null,
    screening_id     uuid          not null,
    protocol_id      text          not null,
    protocol_version text          not null,
    dosing_weight_kg numeric(6,2)  not null,
    dose_iu          bigint        not null,
    first_dose_at    timestamptz   not null,
    status           text          not null,
    ordered_at       timestamptz   not null,
    ordered_by       text          not null
);
create index course_patient on course (patient_id, ordered_at desc);
create unique index course_one_active_per_patient on course (patient_id) where status = 'ACTIVE';

create table dose_opportunity (
    course_id     uuid        not null references course (id),
    dose_number   int         not null,
    cycle         int         not null,
    scheduled_at  timestamptz not null,
    status        text        not null,
    recorded_at   timestamptz,
    recorded_by   text,
    given_at      timestamptz,
    decision      text,
    primary key (course_id, dose_number)
);
