package org.hdil2.eligibility.cds;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** What the clinician did with a card, as the EHR reported it. Never updated. */
@Entity
@Table(name = "cds_feedback")
public class CdsFeedbackEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "card_id", nullable = false)
    public UUID cardId;

    @Column(nullable = false)
    public String outcome;

    @Column(name = "override_code")
    public String overrideCode;

    @Column(name = "override_system")
    public String overrideSystem;

    @Column(name = "override_display")
    public String overrideDisplay;

    @Column(name = "user_comment")
    public String userComment;

    @Column(name = "accepted_suggestions")
    public String acceptedSuggestions;

    @Column(name = "outcome_at", nullable = false)
    public Instant outcomeAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(nullable = false)
    public String caller;
}
