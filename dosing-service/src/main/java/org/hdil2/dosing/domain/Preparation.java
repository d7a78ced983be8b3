package org.hdil2.dosing.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * What pharmacy prepares for one dose, computed exactly from the dose in IU and the protocol's product facts:
 * vials, volume of reconstituted solution to draw, D5W volume by the dose band, the final concentration and whether
 * it lies in the allowed window. Every figure carries its rounding: IU exact, mg 4 decimals, mL 2 decimals,
 * concentration 4 decimals, all half-up; vials rounded up.
 */
public record Preparation(long doseIu, BigDecimal doseMg, String mgRatio, int vials, BigDecimal reconstitutionMlPerVial,
                          String reconstitutionDiluent, BigDecimal reconstitutedIuPerMl, BigDecimal drawMl,
                          int d5wMl, String d5wBand, BigDecimal finalVolumeMl, BigDecimal finalMgPerMl,
                          BigDecimal minMgPerMl, BigDecimal maxMgPerMl, boolean concentrationInRange,
                          Integer compliantD5wMl, List<String> flags, List<String> warnings, String source) {

    /** The product and preparation facts of a protocol. */
    public record Facts(String id, String version, String source, long iuPerVial, BigDecimal mgPerVial,
                        BigDecimal reconstitutionMl, String reconstitutionDiluent, long reconstitutedIuPerMl,
                        List<Band> d5wBands, BigDecimal minMgPerMl, BigDecimal maxMgPerMl, List<String> warnings) {
    }

    /** Doses up to {@code maxIu} (inclusive; null = no upper bound) are diluted in {@code d5wMl} of D5W. */
    public record Band(Long maxIu, int d5wMl) {
    }

    private static final MathContext MC = MathContext.DECIMAL128;

    public static Preparation of(long doseIu, Facts f) {
        if (doseIu <= 0) {
            throw new IllegalArgumentException("dose must be positive");
        }
        BigDecimal iu = BigDecimal.valueOf(doseIu);
        BigDecimal mg = iu.multiply(f.mgPerVial()).divide(BigDecimal.valueOf(f.iuPerVial()), MC);
        int vials = iu.divide(BigDecimal.valueOf(f.iuPerVial()), 0, RoundingMode.CEILING).intValueExact();
        BigDecimal drawMl = iu.divide(BigDecimal.valueOf(f.reconstitutedIuPerMl()), 2, RoundingMode.HALF_UP);
        Band band = f.d5wBands().stream().filter(b -> b.maxIu() == null || doseIu <= b.maxIu()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no D5W band covers " + doseIu + " IU"));
        BigDecimal finalMl = drawMl.add(BigDecimal.valueOf(band.d5wMl()));
        BigDecimal concentration = mg.divide(finalMl, 4, RoundingMode.HALF_UP);
        boolean inRange = concentration.compareTo(f.minMgPerMl()) >= 0 && concentration.compareTo(f.maxMgPerMl()) <= 0;
        List<String> flags = new ArrayList<>();
        Integer compliant = null;
        if (!inRange) {
            compliant = nearestCompliantD5w(mg, drawMl, concentration.compareTo(f.maxMgPerMl()) > 0, f);
            flags.add("final concentration " + concentration.toPlainString() + " mg/mL is outside "
                    + f.minMgPerMl().toPlainString() + "-" + f.maxMgPerMl().toPlainString() + " mg/mL in " + band.d5wMl()
                    + " mL D5W; " + (compliant == null ? "no D5W volume reaches the window: pharmacist to decide"
                    : "nearest compliant D5W volume: " + compliant + " mL"));
        }
        BigDecimal leftover = BigDecimal.valueOf((long) vials * f.iuPerVial()).subtract(iu);
        if (leftover.signum() > 0) {
            flags.add("discard the unused " + leftover.divide(BigDecimal.valueOf(1_000_000), 2, RoundingMode.HALF_UP).toPlainString()
                    + " million IU of the last vial (single-dose vials, no preservative)");
        }
        String bandText = band.maxIu() == null ? "above the last band limit" : "up to " + band.maxIu() + " IU";
        return new Preparation(doseIu, mg.setScale(4, RoundingMode.HALF_UP),
                f.mgPerVial().toPlainString() + " mg per " + f.iuPerVial() + " IU (the vial's label pair)", vials,
                f.reconstitutionMl(), f.reconstitutionDiluent(), BigDecimal.valueOf(f.reconstitutedIuPerMl()), drawMl,
                band.d5wMl(), bandText, finalMl, concentration, f.minMgPerMl(), f.maxMgPerMl(), inRange, compliant, flags,
                f.warnings(), f.source());
    }

    /**
     * The whole-mL D5W volume nearest the band's that brings the concentration into the window: when too
     * concentrated, the smallest volume dilute enough; when too dilute, the largest volume concentrated enough.
     */
    private static Integer nearestCompliantD5w(BigDecimal mg, BigDecimal drawMl, boolean tooConcentrated, Facts f) {
        int smallest = Math.max(1, mg.divide(f.maxMgPerMl(), MC).subtract(drawMl).setScale(0, RoundingMode.CEILING).intValue());
        int largest = mg.divide(f.minMgPerMl(), MC).subtract(drawMl).setScale(0, RoundingMode.FLOOR).intValue();
        if (largest < smallest) {
            return null;
        }
        return tooConcentrated ? smallest : largest;
    }
}
