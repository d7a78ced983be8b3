-- Alert lifecycle after IHE PCD ACM: one open alert per patient and rule, latching, acknowledgement, dismissal,
-- escalation timers, history, notifications (SSE sequence) and webhook deliveries.

alter table alert add column rule_action          text;
alter table alert add column severity             text;
alter table alert add column current_finding_id   uuid;
alter table alert add column condition            text;
alter table alert add column condition_changed_at timestamptz;
alter table alert add column latching             boolean not null default false;
alter table alert add column phase                text;
alter table alert add column ward                 text;
alter table alert add column bed                  text;
alter table alert add column source_observation   text;
alter table alert add column updated_at           timestamptz;
alter table alert add column acknowledged_at      timestamptz;
alter table alert add column acknowledged_by      text;
alter table alert add column ended_at             timestamptz;
alter table alert add column end_cause            text;
alter table alert add column dismiss_reason       text;
alter table alert add column escalation_level     integer not null default 0;
alter table alert add column next_escalation_at   timestamptz;
alter table alert add column reopen_count         integer not null default 0;
alter table alert add column version              bigint  not null default 0;

update alert set rule_action = 'WITHHOLD', severity = priority, current_finding_id = finding_id,
                 condition = case when status = 'RESOLVED' then 'CLEARED' else 'PRESENT' end,
                 condition_changed_at = coalesce(resolved_at, raised_at), latching = (priority = 'HIGH'),
                 phase = case when status = 'RESOLVED' then 'END' else 'START' end, updated_at = coalesce(resolved_at, raised_at),
                 source_observation = '{}',
                 ended_at = resolved_at, end_cause = case when status = 'RESOLVED' then 'CONDITION_CLEARED' end;

alter table alert alter column rule_action set not null;
alter table alert alter column severity set not null;
alter table alert alter column current_finding_id set not null;
alter table alert alter column condition set not null;
alter table alert alter column condition_changed_at set not null;
alter table alert alter column phase set not null;
alter table alert alter column updated_at set not null;
alter table alert alter column source_observation set not null;

-- at most one open (not ended) alert per patient and rule: the database, not only the code, forbids a duplicate
create unique index alert_open_per_rule on alert (patient_id, rule_id) where ended_at is null;
create index alert_recent_end on alert (patient_id, rule_id, ended_at desc) where ended_at is not null;
create index alert_escalation_due on alert (next_escalation_at) where next_escalation_at is not null;
create index alert_ward on alert (ward, raised_at desc);

-- every finding that fed an alert (a flapping condition brings several findings to one alert)
create table alert_finding (
    finding_id  uuid        primary key,
    alert_id    uuid        not null references alert (id),
    severity    text        not null,
    raised_at   timestamptz not null,
    cleared_at  timestamptz
);
create index alert_finding_alert on alert_finding (alert_id);
insert into alert_finding (finding_id, alert_id, severity, raised_at, cleared_at)
    select finding_id, id, priority, raised_at, resolved_at from alert;

-- the alert's history: who, when, what, from which state to which
create table alert_transition (
    id          bigserial   primary key,
    alert_id    uuid        not null references alert (id),
    at          timestamptz not null,
    actor       text        not null,
    action      text        not null,
    from_status text,
    to_status   text        not null,
    detail      text
);
create index alert_transition_alert on alert_transition (alert_id, id);

-- what client apps and the alarm middleware are told; the id is the SSE event id (Last-Event-ID).
-- Rows are inserted under a transaction-scoped advisory lock, so ids become visible in commit order.
create table alert_notification (
    id          bigint generated always as identity primary key,
    alert_id    uuid        not null references alert (id),
    patient_id  text        not null,
    ward        text,
    priority    text        not null,
    phase       text        not null,
    change      text        not null,
    created_at  timestamptz not null,
    payload     text        not null
);
create index alert_notification_patient on alert_notification (patient_id, id);

create table webhook_delivery (
    id              bigserial   primary key,
    notification_id bigint      not null references alert_notification (id),
    alert_id        uuid        not null,
    status          text        not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    last_status     integer,
    last_error      text,
    created_at      timestamptz not null,
    delivered_at    timestamptz
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at, id) where status = 'PENDING';
create index webhook_delivery_alert on webhook_delivery (alert_id, id) where status = 'PENDING';

-- who covers which patients: by patient, or by ward (and bed)
create table care_assignment (
    id          uuid        primary key,
    ward        text        not null,
    bed         text,
    patient_id  text,
    user_id     text        not null,
    role        text        not null,
    valid_from  timestamptz not null,
    valid_to    timestamptz,
    created_at  timestamptz not null,
    created_by  text        not null,
    updated_at  timestamptz not null
);
create index care_assignment_patient on care_assignment (patient_id, valid_from desc);
create index care_assignment_ward on care_assignment (ward, bed);
