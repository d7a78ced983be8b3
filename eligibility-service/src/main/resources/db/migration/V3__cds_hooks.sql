-- cards returned to an EHR through CDS Hooks, so feedback can be tied to the screening behind the card
create table cds_card (
    id             uuid        primary key,
    service_id     text        not null,
    hook_instance  text        not null,
    screening_id   uuid        references screening (id),
    patient_id     text        not null,
    indicator      text        not null,
    issued_at      timestamptz not null
);
create index cds_card_screening on cds_card (screening_id);

-- what the clinician did with a card: accepted, or overridden with a reason
create table cds_feedback (
    id                uuid        primary key,
    card_id           uuid        not null references cds_card (id),
    outcome           text        not null,
    override_code     text,
    override_system   text,
    override_display  text,
    user_comment      text,
    accepted_suggestions text,
    outcome_at        timestamptz not null,
    received_at       timestamptz not null,
    caller            text        not null
);
create index cds_feedback_card on cds_feedback (card_id);
