package org.hdil2.eligibility.domain;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the screening physician states about the candidate. A null means "not assessed": the criterion that needs
 * it is NOT_EVALUABLE, never passed.
 */
public record CandidateFacts(
        Indication indication,
        Boolean severeHypersensitivityHistory,
        Boolean organAllograft,
        Boolean abnormalEjectionFraction,
        Boolean impairedWallMotion,
        Boolean significantCoronaryArteryDisease,
        BigDecimal fev1Litres,
        BigDecimal fev1PercentPredicted,
        Boolean significantRenalImpairment,
        Boolean significantHepaticImpairment,
        Boolean significantCnsImpairment) {

    /** The facts by name, as protocol rules refer to them. */
    public Map<String, Object> byName() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("indication", indication);
        m.put("severeHypersensitivityHistory", severeHypersensitivityHistory);
        m.put("organAllograft", organAllograft);
        m.put("abnormalEjectionFraction", abnormalEjectionFraction);
        m.put("impairedWallMotion", impairedWallMotion);
        m.put("significantCoronaryArteryDisease", significantCoronaryArteryDisease);
        m.put("fev1Litres", fev1Litres);
        m.put("fev1PercentPredicted", fev1PercentPredicted);
        m.put("significantRenalImpairment", significantRenalImpairment);
        m.put("significantHepaticImpairment", significantHepaticImpairment);
        m.put("significantCnsImpairment", significantCnsImpairment);
        return m;
    }
}
