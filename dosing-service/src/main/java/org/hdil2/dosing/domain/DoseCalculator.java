package org.hdil2.dosing.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Dose in International Units from the dosing weight; the label allows no dose reduction, so this is the dose. */
public final class DoseCalculator {

    private DoseCalculator() {
    }

    /** {@code iuPerKg x weightKg}, rounded half-up to a whole IU. */
    public static long doseIu(DosingProtocol.Dose dose, BigDecimal weightKg) {
        if (weightKg == null || weightKg.signum() <= 0) {
            throw new IllegalArgumentException("dosing weight must be positive");
        }
        return BigDecimal.valueOf(dose.iuPerKg()).multiply(weightKg).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
