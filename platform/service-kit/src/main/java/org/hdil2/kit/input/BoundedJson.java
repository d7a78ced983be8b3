package org.hdil2.kit.input;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Limits on every JSON document a service reads (request bodies and inbound events): nesting, number and string
 * length, duplicate keys and trailing content refused, and each scalar checked by {@link BoundedValues} before any code sees it. Without
 * these a value such as {@code 1E-999999999} passes a range check and then builds a string of a gigabyte, and a NUL
 * character or a year PostgreSQL cannot store fails only at commit.
 */
@Singleton
public class BoundedJson implements ObjectMapperCustomizer {

    /** Deeper than any request or event of the suite (FHIR bundles included) by a wide margin. */
    static final int MAX_NESTING_DEPTH = 40;
    /** Digits of one number: more than any measured value or count needs. */
    static final int MAX_NUMBER_LENGTH = 40;
    /** One string value; request bodies are limited to 1 MiB as a whole. */
    static final int MAX_STRING_LENGTH = 1_000_000;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // a document followed by anything ({"a":1}x, two bodies glued together) is malformed, not its first part
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.registerModule(new SimpleModule("hdil2-bounded-values").setDeserializerModifier(new BoundedValues()));
    }

    @Override
    public int priority() {
        // after Quarkus' own customizers, which register the java.time module whose deserializers are wrapped here
        return MINIMUM_PRIORITY;
    }
}
