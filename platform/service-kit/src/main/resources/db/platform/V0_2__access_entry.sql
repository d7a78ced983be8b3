-- Who read which patient's record (service-kit AccessLog): written in batches, read by the privacy officer.
create table access_entry (
    id            bigserial primary key,
    occurred_at   timestamptz not null,
    actor         text        not null,
    actor_roles   text        not null,
    patient_id    text        not null,
    resource_type text        not null,
    resource_id   text,
    request_id    text        not null,
    access        text        not null
);
create index access_entry_patient on access_entry (patient_id, occurred_at);
