package org.hdil2.eligibility.domain;

/** Every rule is phrased as an exclusion: MET means the criterion excludes the candidate. */
public enum CriterionStatus {
    MET,
    NOT_MET,
    NOT_EVALUABLE
}
