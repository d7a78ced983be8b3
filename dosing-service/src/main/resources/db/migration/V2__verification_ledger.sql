-- Course lifecycle: ORDERED -> (pharmacist verification) ACTIVE -> COMPLETED | DISCONTINUED
alter table course add column weight_measured_at timestamptz;
alter table course add column weight_source text;
alter table course add column verified_by text;
alter table course add column verified_at timestamptz;
alter table course add column stop_flagged_at timestamptz;
alter table course add column stop_flag_reason text;
alter table course add column ended_at timestamptz;
alter table course add column ended_by text;
alter table course add column end_reason text;
alter table course add column discharged_at timestamptz;
drop index course_one_active_per_patient;
create unique index course_one_open_per_patient on course (patient_id) where status in ('ORDERED', 'ACTIVE');

-- The slot keeps only its projection (status); what happened lives in append-only dose records
alter table dose_opportunity drop column recorded_at;
alter table dose_opportunity drop column recorded_by;
alter table dose_opportunity drop column given_at;
alter table dose_opportunity drop column decision;

create table dose_record (
    id               uuid        primary key,
    course_id        uuid        not null,
    dose_number      int         not null,
    kind             text        not null,
    started_at       timestamptz,
    ended_at         timestamptz,
    iu_given         bigint,
    administered_by  text,
    verified_by      text,
    reason           text,
    decision         text,
    corrects         uuid references dose_record (id),
    recorded_at      timestamptz not null,
    recorded_by      text        not null,
    idempotency_key  text        unique,
    foreign key (course_id, dose_number) references dose_opportunity (course_id, dose_number)
);
create index dose_record_slot on dose_record (course_id, dose_number, recorded_at);

create table dose_override (
    course_id    uuid        not null,
    dose_number  int         not null,
    physician    text        not null,
    reason       text        not null,
    finding_ids  text        not null,
    created_at   timestamptz not null,
    primary key (course_id, dose_number),
    foreign key (course_id, dose_number) references dose_opportunity (course_id, dose_number)
);

-- per patient: whether a withhold criterion was active at the last evaluation (for hold-started / hold-ended)
alter table patient_evaluation add column holding boolean not null default false;
