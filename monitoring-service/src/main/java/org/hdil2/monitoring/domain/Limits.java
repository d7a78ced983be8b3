package org.hdil2.monitoring.domain;

import java.math.BigDecimal;

/** An institution's reference interval for one parameter; either bound may be unset (null). */
public record Limits(BigDecimal lln, BigDecimal uln) {
}
