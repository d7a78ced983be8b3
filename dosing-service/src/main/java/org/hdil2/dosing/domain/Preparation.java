package org.hdil2.dosing.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * What pharmacy prepares for one dose, computed exactly from the dose in IU and the protocol's product facts:
 * vials, volume of reconstituted solution to draw, D5W volume by the dose band, the final concentration and whether
 * it lies in the allowed window. {@code finalVolumeMl} and {@code finalMgPerMl} are what is in the bag (D5W plus the
 * drawn volume); {@code concentrations} is the window check on the protocol's basis, one line per volume it names.
 * Every figure carries its rounding: IU exact, mg 4 decimals, mL 2 decimals, concentration 4 decimals, all half-up;
 * vials rounded up.
 */
public record Preparation(long doseIu, BigDecimal doseMg, String mgRatio, int vials, BigDecimal reconstitutionMlPerVial,
                          String reconstitutionDiluent, BigDecimal reconstitutedIuPerMl, BigDecimal drawMl,
                          int d5wMl, String d5wBand, BigDecimal finalVolumeMl, BigDecimal finalMgPerMl,
                          BigDecimal minMgPerMl, BigDecimal maxMgPerMl, ConcentrationBasis concentrationBasis,
                          BigDecimal nearLimitPercent, List<Concentration> concentrations,
                          boolean concentrationInRange, Integer compliantD5wMl, List<String> flags,
                          List<String> warnings, String source) {

    /**
     * The product and preparation facts of a protocol. {@code concentrationBasis}: which volume the window's mg/mL
     * refers to, a pharmacy decision the protocol states; {@code nearLimitPercent}: a concentration in the window but
     * within this percentage of a limit's value (inclusive, on the rounded figure shown) is flagged.
     */
    public record Facts(String id, String version, String source, long iuPerVial, BigDecimal mgPerVial,
                        BigDecimal reconstitutionMl, String reconstitutionDiluent, long reconstitutedIuPerMl,
                        List<Band> d5wBands, BigDecimal minMgPerMl, BigDecimal maxMgPerMl,
                        ConcentrationBasis concentrationBasis, BigDecimal nearLimitPercent, List<String> warnings) {

        public Facts {
            if (concentrationBasis == null || nearLimitPercent == null) {
                throw new IllegalArgumentException("preparation " + id + " must state its concentrationBasis and nearLimitPercent");
            }
            if (nearLimitPercent.signum() < 0 || nearLimitPercent.compareTo(BigDecimal.valueOf(50)) >= 0) {
                throw new IllegalArgumentException("preparation " + id + ": nearLimitPercent must be at least 0 and below 50");
            }
        }
    }

    /** Which volume the concentration window refers to. BOTH: the protocol has not chosen, so the dose must pass on either. */
    public enum ConcentrationBasis {
        D5W_ONLY, D5W_PLUS_DRUG, BOTH;

        List<ConcentrationBasis> volumes() {
            return this == BOTH ? List.of(D5W_ONLY, D5W_PLUS_DRUG) : List.of(this);
        }
    }

    /** The concentration over one basis' volume, and where it lies in the window. */
    public record Concentration(ConcentrationBasis basis, BigDecimal volumeMl, BigDecimal mgPerMl, boolean inRange,
                                boolean nearLimit) {
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
        BigDecimal share = f.nearLimitPercent().divide(BigDecimal.valueOf(100), MC);
        BigDecimal nearMax = f.maxMgPerMl().multiply(BigDecimal.ONE.subtract(share), MC);
        BigDecimal nearMin = f.minMgPerMl().multiply(BigDecimal.ONE.add(share), MC);
        List<Concentration> checked = new ArrayList<>();
        for (ConcentrationBasis basis : f.concentrationBasis().volumes()) {
            BigDecimal volume = basis == ConcentrationBasis.D5W_ONLY ? BigDecimal.valueOf(band.d5wMl()) : finalMl;
            BigDecimal c = mg.divide(volume, 4, RoundingMode.HALF_UP);
            boolean in = c.compareTo(f.minMgPerMl()) >= 0 && c.compareTo(f.maxMgPerMl()) <= 0;
            boolean near = in && (c.compareTo(nearMin) <= 0 || c.compareTo(nearMax) >= 0);
            checked.add(new Concentration(basis, volume.setScale(2, RoundingMode.HALF_UP), c, in, near));
        }
        boolean inRange = checked.stream().allMatch(Concentration::inRange);
        List<String> flags = new ArrayList<>();
        Integer compliant = null;
        String window = f.minMgPerMl().toPlainString() + "-" + f.maxMgPerMl().toPlainString() + " mg/mL";
        if (!inRange) {
            boolean tooConcentrated = checked.stream().anyMatch(c -> c.mgPerMl().compareTo(f.maxMgPerMl()) > 0);
            compliant = nearestCompliantD5w(mg, drawMl, tooConcentrated, f);
            for (Concentration c : checked) {
                if (!c.inRange()) {
                    flags.add("final concentration " + c.mgPerMl().toPlainString() + " mg/mL over " + describe(c, band)
                            + " is outside " + window + "; " + (compliant == null
                            ? "no D5W volume reaches the window on the protocol's basis (" + f.concentrationBasis() + "): pharmacist to decide"
                            : "nearest compliant D5W volume: " + compliant + " mL"));
                }
            }
        }
        for (Concentration c : checked) {
            if (c.nearLimit()) {
                flags.add("final concentration " + c.mgPerMl().toPlainString() + " mg/mL over " + describe(c, band)
                        + " is within " + f.nearLimitPercent().stripTrailingZeros().toPlainString()
                        + " % of a limit of " + window + ": pharmacist to check");
            }
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
                band.d5wMl(), bandText, finalMl, concentration, f.minMgPerMl(), f.maxMgPerMl(), f.concentrationBasis(),
                f.nearLimitPercent(), List.copyOf(checked), inRange, compliant, flags, f.warnings(), f.source());
    }

    private static String describe(Concentration c, Band band) {
        return c.basis() == ConcentrationBasis.D5W_ONLY ? band.d5wMl() + " mL D5W alone"
                : c.volumeMl().toPlainString() + " mL (" + band.d5wMl() + " mL D5W plus the drawn volume)";
    }

    /**
     * The whole-mL D5W volume nearest the band's that brings the concentration into the window on every volume of the
     * protocol's basis: when too concentrated, the smallest volume dilute enough; when too dilute, the largest volume
     * concentrated enough.
     */
    private static Integer nearestCompliantD5w(BigDecimal mg, BigDecimal drawMl, boolean tooConcentrated, Facts f) {
        int smallest = 1;
        int largest = Integer.MAX_VALUE;
        for (ConcentrationBasis basis : f.concentrationBasis().volumes()) {
            BigDecimal beside = basis == ConcentrationBasis.D5W_ONLY ? BigDecimal.ZERO : drawMl;
            smallest = Math.max(smallest, mg.divide(f.maxMgPerMl(), MC).subtract(beside).setScale(0, RoundingMode.CEILING).intValue());
            largest = Math.min(largest, mg.divide(f.minMgPerMl(), MC).subtract(beside).setScale(0, RoundingMode.FLOOR).intValue());
        }
        if (largest < smallest) {
            return null;
        }
        return tooConcentrated ? smallest : largest;
    }
}
