-- Platform tables every service shares (service-kit). Service migrations start at V1.

create table outbox_event (
    id           bigserial primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    record_key   text        not null,
    event_type   text        not null,
    source       text        not null,
    occurred_at  timestamptz not null,
    payload      text        not null,
    created_at   timestamptz not null,
    published_at timestamptz
);
create index outbox_event_unpublished on outbox_event (id) where published_at is null;

create table inbox_event (
    consumer     text        not null,
    event_id     text        not null,
    event_type   text        not null,
    topic        text        not null,
    received_at  timestamptz not null,
    primary key (consumer, event_id)
);

create table audit_entry (
    id            bigserial primary key,
    occurred_at   timestamptz not null,
    actor         text        not null,
    actor_roles   text        not null,
    action        text        not null,
    patient_id    text,
    resource_type text,
    resource_id   text,
    request_id    text        not null,
    channel       text        not null,
    details       text
);
create index audit_entry_patient on audit_entry (patient_id, occurred_at);
