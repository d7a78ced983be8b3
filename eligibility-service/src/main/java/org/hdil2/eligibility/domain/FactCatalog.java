package org.hdil2.eligibility.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every fact a protocol rule may read, with its unit. A rule naming anything else is rejected when loaded. */
public final class FactCatalog {

    /** Fact name to unit; an empty unit for yes/no, coded and date facts. */
    public static final Map<String, String> UNITS = units();

    private FactCatalog() {
    }

    private static Map<String, String> units() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("indication", "");
        for (String flag : new String[] { "severeHypersensitivityHistory", "organAllograft", "abnormalEjectionFraction",
                "impairedWallMotion", "significantCoronaryArteryDisease", "significantRenalImpairment",
                "significantHepaticImpairment", "significantCnsImpairment", "untreatedActiveBacterialInfection",
                "untreatedBrainMetastases", "autoimmuneDisease", "systemicCorticosteroids",
                "femaleOfReproductivePotential", "pregnant", "priorAldesleukinCourse", "tumourShrinkageAfterLastCourse" }) {
            m.put(flag, "");
        }
        m.put("priorCourseToxicities", "");
        m.put("lastCourseDischargeDate", "");
        m.put("fev1Litres", "L");
        m.put("fev1PercentPredicted", "%");
        m.put("ejectionFractionPercent", "%");
        m.put("ecogPerformanceStatus", "{score}");
        m.put("ageYears", "a");
        m.put("creatinineMgDl", "mg/dL");
        m.put("bilirubinMgDl", "mg/dL");
        m.put("astUnitsPerLitre", "U/L");
        m.put("altUnitsPerLitre", "U/L");
        m.put("plateletsPerNanolitre", "10*9/L");
        m.put("neutrophilsPerNanolitre", "10*9/L");
        return Map.copyOf(m);
    }

    public static boolean known(String name) {
        return UNITS.containsKey(name);
    }
}
