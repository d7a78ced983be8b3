package org.hdil2.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class CloudEventHeadersTest {

    @Test
    void theAttributesWrittenAreReadBackAsCloudEventsBinaryModeNamesThem() {
        Headers h = CloudEventHeaders.write(new RecordHeaders(), "id-1", "/hdil2/dosing", "org.hdil2.dosing.dose-given.v1", "P-1",
                Instant.parse("2026-12-01T08:00:00.120Z"));
        assertEquals("1.0", CloudEventHeaders.read(h, "ce_specversion"));
        assertEquals("id-1", CloudEventHeaders.read(h, "ce_id"));
        assertEquals("/hdil2/dosing", CloudEventHeaders.read(h, "ce_source"));
        assertEquals("org.hdil2.dosing.dose-given.v1", CloudEventHeaders.read(h, "ce_type"));
        assertEquals("P-1", CloudEventHeaders.read(h, "ce_subject"));
        assertEquals("2026-12-01T08:00:00.120Z", CloudEventHeaders.read(h, "ce_time"));
        assertEquals("application/json", CloudEventHeaders.read(h, "content-type"));
        assertNull(CloudEventHeaders.read(h, "dead-letter-reason"));
    }
}
