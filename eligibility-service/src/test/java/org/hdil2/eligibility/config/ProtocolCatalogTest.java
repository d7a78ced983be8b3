package org.hdil2.eligibility.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hospital's own protocol is read from ELIGIBILITY_PROTOCOL_DIR, checked, and can be the default. */
class ProtocolCatalogTest {

    static ProtocolCatalog catalog(String protocol, String dir) {
        ProtocolCatalog c = new ProtocolCatalog();
        c.json = new ObjectMapper();
        c.config = new EligibilityConfig() {
            public String protocol() {
                return protocol;
            }

            public Optional<String> protocolDir() {
                return Optional.ofNullable(dir);
            }

            public ZoneId zone() {
                return ZoneId.of("UTC");
            }
        };
        c.load();
        return c;
    }

    @Test
    void shippedProtocolsLoad() {
        ProtocolCatalog c = catalog("label-2024", null);
        assertEquals("label-2024", c.defaultProtocol().id());
        assertTrue(c.find("consensus-2014").isPresent());
    }

    @Test
    void aHospitalProtocolFromTheDirectoryLoadsAndABrokenOneStopsTheStart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("h.json"), """
                {"id":"st-elsewhere-2026","version":"3","title":"St Elsewhere","source":"St Elsewhere IL-2 committee 2026",
                 "rules":[{"id":"SE-LABS","version":"1","kind":"LAB_LIMITS","title":"Labs","source":"St Elsewhere order set",
                   "criterion":"creatinine <= 1.5 mg/dL","inputs":["creatinineMgDl"],
                   "parameters":{"limits":{"creatinineMgDl":{"max":1.5}}},"effect":"EXCLUDE","required":true}]}""");
        ProtocolCatalog c = catalog("st-elsewhere-2026", dir.toString());
        assertEquals("3", c.defaultProtocol().version());
        Files.writeString(dir.resolve("z.json"), """
                {"id":"broken","version":"1","title":"b","source":"b",
                 "rules":[{"id":"B","version":"1","kind":"ANY_TRUE","title":"b","source":"b","criterion":"b",
                   "inputs":["noSuchFact"],"parameters":{}}]}""");
        assertThrows(IllegalArgumentException.class, () -> catalog("label-2024", dir.toString()));
        assertThrows(IllegalStateException.class, () -> catalog("nope", null));
    }
}
