package org.hdil2.kit.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.junit.jupiter.api.Test;

class BoundedJsonTest {

    record Body(String text, BigDecimal decimal, Double number, Instant at) {
    }

    private final ObjectMapper json = mapper();

    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper().registerModule(new JavaTimeModule());
        new BoundedJson().customize(m);
        return m;
    }

    private Body read(String body) throws JsonProcessingException {
        return json.readValue(body, Body.class);
    }

    @Test
    void valuesWithinTheBoundsAreRead() throws Exception {
        Body b = read("{\"text\":\"tab\\tand line\\nfeed, é, \u00a0, 😀\",\"decimal\":123456789012345678.123456789012,"
                + "\"number\":0.000000001,\"at\":\"1900-01-01T00:00:00Z\"}");
        assertEquals(new BigDecimal("123456789012345678.123456789012"), b.decimal());
        assertEquals(Instant.parse("2199-12-31T23:59:59Z"), read("{\"at\":\"2199-12-31T23:59:59Z\"}").at());
        assertEquals(0.0, read("{\"number\":0}").number());
    }

    @Test
    void eachBoundIsRefusedJustPastIt() {
        for (String body : new String[] {
                "{\"text\":\"a\\u0000b\"}", "{\"text\":\"\\u001f\"}", "{\"text\":\"\\u007f\"}", "{\"text\":\"x\\u0085\"}", "{\"text\":\"\\u009f\"}", "{\"text\":\"\\ud800\"}",
                "{\"text\":\"\\udc00\"}",
                "{\"decimal\":1E-999999999}", "{\"decimal\":0.0000000000001}", "{\"decimal\":1234567890123456789}",
                "{\"number\":1e400}", "{\"number\":1E-20000}", "{\"number\":1e15}", "{\"number\":0.0000000009}",
                "{\"at\":\"1899-12-31T23:59:59Z\"}", "{\"at\":\"2200-01-01T00:00:00Z\"}" }) {
            RefusedValueException e = assertThrows(RefusedValueException.class, () -> read(body), body);
            assertTrue(!e.reason().isBlank());
        }
    }

    @Test
    void duplicateKeysDeepNestingAndLongNumbersAreRefused() {
        assertThrows(JsonProcessingException.class, () -> read("{\"text\":\"a\",\"text\":\"b\"}"));
        assertThrows(JsonProcessingException.class, () -> json.readTree("[".repeat(41) + "]".repeat(41)));
        assertThrows(JsonProcessingException.class, () -> read("{\"number\":" + "1".repeat(41) + "}"));
        assertThrows(JsonProcessingException.class, () -> read("{\"text\":\"a\"}x"));
        assertThrows(JsonProcessingException.class, () -> read("{\"text\":\"a\"}{\"text\":\"b\"}"));
    }
}
