create table alert (
    id              uuid        primary key,
    patient_id      text        not null,
    finding_id      uuid        not null unique,
    rule_id         text        not null,
    rule_version    text        not null,
    priority        text        not null,
    status          text        not null,
    title           text        not null,
    detail          text        not null,
    raised_at       timestamptz not null,
    resolved_at     timestamptz,
    resolved_reason text
);
create index alert_patient on alert (patient_id, raised_at desc);
create index alert_status on alert (status, raised_at desc);
