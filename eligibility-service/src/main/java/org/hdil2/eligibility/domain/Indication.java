package org.hdil2.eligibility.domain;

/** The diagnosis a candidate is screened for. */
public enum Indication {
    METASTATIC_RENAL_CELL_CARCINOMA,
    METASTATIC_MELANOMA,
    OTHER
}
