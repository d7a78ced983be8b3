package org.hdil2.contract;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The suite's clinical unit conversions, read from {@code contract/unit-conversions.json}: one fact in one place for
 * every service (eligibility's FHIR input and monitoring's catalog read the same divisor). Data, not domain code.
 */
public final class UnitConversions {

    /** One conversion: canonical = value / {@code divideBy}, with where the number comes from. */
    public record Conversion(String quantity, String from, String to, BigDecimal divideBy, String source) {
    }

    private static final Map<String, Conversion> BY_KEY = load();

    private UnitConversions() {
    }

    /**
     * @throws IllegalArgumentException when the catalog has no such conversion (a programming error: fail at start)
     */
    public static Conversion of(String quantity, String fromUnit) {
        Conversion c = BY_KEY.get(quantity + "|" + fromUnit);
        if (c == null) {
            throw new IllegalArgumentException("no unit conversion for " + quantity + " from " + fromUnit);
        }
        return c;
    }

    private static Map<String, Conversion> load() {
        try (InputStream in = UnitConversions.class.getClassLoader().getResourceAsStream("contract/unit-conversions.json")) {
            if (in == null) {
                throw new IllegalStateException("contract/unit-conversions.json is missing");
            }
            Map<String, Conversion> out = new LinkedHashMap<>();
            for (JsonNode c : new ObjectMapper().readTree(in).path("conversions")) {
                Conversion conversion = new Conversion(c.path("quantity").asText(), c.path("from").asText(), c.path("to").asText(),
                        new BigDecimal(c.path("divideBy").asText()), c.path("source").asText());
                out.put(conversion.quantity() + "|" + conversion.from(), conversion);
            }
            return Map.copyOf(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read contract/unit-conversions.json", e);
        }
    }
}
