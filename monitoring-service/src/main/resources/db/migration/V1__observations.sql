create table observation (
    id             uuid          primary key,
    patient_id     text          not null,
    code_system    text          not null,
    code           text          not null,
    value          numeric(12,3) not null,
    unit           text          not null,
    original_value numeric(12,3) not null,
    original_unit  text          not null,
    effective_time timestamptz   not null,
    recorded_at    timestamptz   not null,
    recorded_by    text          not null,
    source_kind    text          not null
);
create index observation_patient on observation (patient_id, effective_time desc);
