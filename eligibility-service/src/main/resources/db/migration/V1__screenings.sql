create table screening (
    id               uuid        primary key,
    patient_id       text        not null,
    protocol_id      text        not null,
    protocol_version text        not null,
    outcome          text        not null,
    screened_at      timestamptz not null,
    screened_by      text        not null,
    facts            text        not null,
    criteria         text        not null
);
create index screening_patient on screening (patient_id, screened_at desc);
