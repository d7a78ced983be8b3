package org.hdil2.contract;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The suite's observation parameters, read from {@code contract/observation-parameters.json}: parameter ids, their
 * codes, the units each code accepts with their conversions, and plausible ranges. One catalog for every service
 * (monitoring accepts and evaluates these, dosing names pre-dose inputs by their ids, eligibility reads its shared
 * baseline labs through it). Data, not domain code: each service builds its own model from it.
 */
public final class ObservationParameters {

    /** {@code canonical = (value + offset) x factor}; {@code source} says where a shared factor comes from, else null. */
    public record UnitConversion(BigDecimal factor, BigDecimal offset, String source) {

        public boolean identity() {
            return factor.compareTo(BigDecimal.ONE) == 0 && offset.signum() == 0;
        }
    }

    /** One code of a parameter with the units accepted under it (as senders spell them) and their conversions. */
    public record Code(String system, String code, String display, Map<String, UnitConversion> units, String note) {
    }

    /**
     * One canonical quantity. Quantities have {@code min}, {@code max} and {@code scale} (decimal places kept after a
     * conversion); coded parameters have {@code answers} in ordinal order instead (min, max and scale are null).
     */
    public record Parameter(String id, String display, String unit, BigDecimal min, BigDecimal max, Integer scale,
                            List<String> answers, boolean ordinalAsValue, boolean integer, boolean periodRequired, String note,
                            List<Code> codes) {

        public boolean coded() {
            return !answers.isEmpty();
        }
    }

    private static final String RESOURCE = "contract/observation-parameters.json";
    private static final List<Parameter> ALL = load();

    private ObservationParameters() {
    }

    /** Every parameter, in catalog order. */
    public static List<Parameter> all() {
        return ALL;
    }

    public static Optional<Parameter> byId(String id) {
        return ALL.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The parameter {@code system|code} maps to. */
    public static Optional<Parameter> byCode(String system, String code) {
        return ALL.stream().filter(p -> p.codes().stream().anyMatch(c -> c.system().equals(system) && c.code().equals(code)))
                .findFirst();
    }

    /**
     * @throws IllegalArgumentException when the catalog has no such parameter (a protocol or a mapping naming one that
     *         does not exist is a configuration error: fail at start)
     */
    public static Parameter require(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException("no observation parameter '" + id + "' in " + RESOURCE));
    }

    private static List<Parameter> load() {
        try (InputStream in = ObservationParameters.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            List<Parameter> out = new ArrayList<>();
            for (JsonNode p : new ObjectMapper().readTree(in).path("parameters")) {
                List<String> answers = new ArrayList<>();
                p.path("answers").forEach(a -> answers.add(a.asText()));
                List<Code> codes = new ArrayList<>();
                for (JsonNode c : p.path("codes")) {
                    Map<String, UnitConversion> units = new LinkedHashMap<>();
                    c.path("units").fields().forEachRemaining(u -> units.put(u.getKey(), conversion(u.getValue())));
                    codes.add(new Code(c.path("system").asText(), c.path("code").asText(), c.path("display").asText(),
                            Collections.unmodifiableMap(units), text(c, "note")));
                }
                out.add(new Parameter(p.path("id").asText(), p.path("display").asText(), p.path("unit").asText(), decimal(p, "min"),
                        decimal(p, "max"), p.has("scale") ? p.path("scale").asInt() : null, List.copyOf(answers),
                        p.path("ordinalAsValue").asBoolean(false), p.path("integer").asBoolean(false),
                        p.path("periodRequired").asBoolean(false), text(p, "note"), List.copyOf(codes)));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    private static UnitConversion conversion(JsonNode u) {
        if (u.isTextual()) {
            return new UnitConversion(new BigDecimal(u.asText()), BigDecimal.ZERO, null);
        }
        if (u.has("conversion")) {
            UnitConversions.Conversion shared = UnitConversions.of(u.path("conversion").asText(), u.path("from").asText());
            return new UnitConversion(BigDecimal.ONE.divide(shared.divideBy(), MathContext.DECIMAL64), BigDecimal.ZERO,
                    "divided by " + shared.divideBy().toPlainString() + " (" + shared.source() + ")");
        }
        return new UnitConversion(BigDecimal.ONE.divide(new BigDecimal(u.path("divideBy").asText()), MathContext.DECIMAL64),
                new BigDecimal(u.path("offset").asText("0")), null);
    }

    private static BigDecimal decimal(JsonNode n, String field) {
        return n.hasNonNull(field) ? new BigDecimal(n.path(field).asText()) : null;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.path(field).asText() : null;
    }
}
