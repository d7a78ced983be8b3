package org.hdil2.monitoring.domain;

/** A rule for one patient now: met, not met, or not evaluable because a required input is missing or too old. */
public enum RuleState {
    MET, NOT_MET, NOT_EVALUABLE
}
