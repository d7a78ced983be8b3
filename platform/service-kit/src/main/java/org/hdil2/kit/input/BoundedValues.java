package org.hdil2.kit.input;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;

/**
 * Wraps the deserializers of strings, decimals, floating-point numbers and dates so that a value outside what the
 * suite can compute with, store and show is refused as the field's invalid value ({@link RefusedValueException}).
 */
final class BoundedValues extends BeanDeserializerModifier {

    @Override
    public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                  JsonDeserializer<?> deserializer) {
        Class<?> type = description.getBeanClass();
        if (type == String.class || type == BigDecimal.class || type == Double.class || type == double.class
                || type == Float.class || type == float.class || type == Instant.class || type == OffsetDateTime.class
                || type == ZonedDateTime.class || type == LocalDate.class) {
            return new Checked(deserializer, type);
        }
        return deserializer;
    }

    /** Why a value is refused, or empty when it is within bounds. */
    static Optional<String> refusal(Object value) {
        if (value instanceof String s) {
            return ValueBounds.text(s);
        }
        if (value instanceof BigDecimal d) {
            return ValueBounds.decimal(d);
        }
        if (value instanceof Double d) {
            return ValueBounds.floating(d);
        }
        if (value instanceof Float f) {
            return ValueBounds.floating(f.doubleValue());
        }
        if (value instanceof Instant i) {
            return ValueBounds.year(i.atOffset(ZoneOffset.UTC).getYear());
        }
        if (value instanceof OffsetDateTime t) {
            return ValueBounds.year(t.getYear());
        }
        if (value instanceof ZonedDateTime t) {
            return ValueBounds.year(t.getYear());
        }
        if (value instanceof LocalDate d) {
            return ValueBounds.year(d.getYear());
        }
        return Optional.empty();
    }

    private static final class Checked extends DelegatingDeserializer {

        private final Class<?> type;

        Checked(JsonDeserializer<?> delegate, Class<?> type) {
            super(delegate);
            this.type = type;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new Checked(newDelegatee, type);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            boolean floatingText = (type == Double.class || type == double.class || type == Float.class || type == float.class)
                    && p.currentToken() != null && p.currentToken().isNumeric();
            String text = floatingText ? p.getText() : null;
            Object value = super.deserialize(p, ctxt);
            Optional<String> refused = refusal(value);
            if (refused.isEmpty() && text != null && value instanceof Number n && n.doubleValue() == 0.0) {
                refused = ValueBounds.underflow(text);
            }
            if (refused.isPresent()) {
                throw new RefusedValueException(p, refused.get(), value, type);
            }
            return value;
        }
    }
}
