package org.hdil2.monitoring.domain;

import java.math.BigDecimal;

public enum Comparator {
    LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Comparator(String symbol) {
        this.symbol = symbol;
    }

    public boolean holds(BigDecimal value, BigDecimal threshold) {
        int c = value.compareTo(threshold);
        return switch (this) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
        };
    }

    public String symbol() {
        return symbol;
    }
}
