package org.hdil2.eligibility.app;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.hdil2.eligibility.domain.CandidateFacts;
import org.hdil2.eligibility.domain.Fact;
import org.hdil2.eligibility.domain.FactCatalog;
import org.hdil2.eligibility.domain.Indication;
import org.hdil2.kit.problem.ProblemException;

/** Turns validated findings into the domain's dated facts; rejects values out of range and dates after the screening. */
public final class FactMapper {

    /** Plausible ranges per measure; a value outside is a typing error, not a clinical finding. */
    static final Map<String, BigDecimal[]> RANGES = Map.ofEntries(
            range("fev1Litres", "0.1", "10"),
            range("fev1PercentPredicted", "1", "200"),
            range("ejectionFractionPercent", "1", "100"),
            range("ecogPerformanceStatus", "0", "5"),
            range("ageYears", "0", "130"),
            range("creatinineMgDl", "0", "40"),
            range("bilirubinMgDl", "0", "60"),
            range("astUnitsPerLitre", "0", "20000"),
            range("altUnitsPerLitre", "0", "20000"),
            range("plateletsPerNanolitre", "0", "5000"),
            range("neutrophilsPerNanolitre", "0", "500"));

    static final String STATED = "stated by the screening physician";

    private FactMapper() {
    }

    private static Map.Entry<String, BigDecimal[]> range(String name, String min, String max) {
        return Map.entry(name, new BigDecimal[] { new BigDecimal(min), new BigDecimal(max) });
    }

    public static CandidateFacts toFacts(Indication indication, Findings findings, LocalDate asOf) {
        Map<String, Fact> facts = new LinkedHashMap<>();
        if (indication != null) {
            facts.put("indication", new Fact(indication, null, asOf, STATED));
        }
        for (RecordComponent c : Findings.class.getRecordComponents()) {
            Object finding = read(c, findings);
            if (finding == null) {
                continue;
            }
            String name = c.getName();
            String unit = FactCatalog.UNITS.get(name);
            Fact fact;
            if (finding instanceof Findings.Flag f) {
                fact = new Fact(f.value(), unit, f.date(), source(f.source()));
            } else if (finding instanceof Findings.Measure m) {
                fact = new Fact(inRange(name, m.value()), unit, m.date(), source(m.source()));
            } else if (finding instanceof Findings.DateFact d) {
                fact = new Fact(d.value(), unit, d.value(), source(d.source()));
            } else if (finding instanceof Findings.Toxicities t) {
                fact = new Fact(t.value().stream().map(Enum::name).toList(), unit, t.date(), source(t.source()));
            } else {
                throw new IllegalStateException("unhandled finding type " + finding.getClass());
            }
            if (fact.date().isAfter(asOf)) {
                throw ProblemException.invalid("ELIG-0104", "findings." + name + (finding instanceof Findings.DateFact ? ".value" : ".date"),
                        "dated " + fact.date() + ", after the screening date " + asOf);
            }
            facts.put(name, fact);
        }
        return new CandidateFacts(asOf, facts);
    }

    private static BigDecimal inRange(String name, BigDecimal value) {
        BigDecimal[] r = RANGES.get(name);
        if (value.compareTo(r[0]) < 0 || value.compareTo(r[1]) > 0) {
            throw ProblemException.invalid("ELIG-0002", "findings." + name + ".value",
                    "must be between " + r[0].toPlainString() + " and " + r[1].toPlainString() + " " + FactCatalog.UNITS.get(name));
        }
        return value;
    }

    private static String source(String s) {
        return s == null || s.isBlank() ? STATED : s;
    }

    private static Object read(RecordComponent c, Findings findings) {
        try {
            return c.getAccessor().invoke(findings);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }
}
