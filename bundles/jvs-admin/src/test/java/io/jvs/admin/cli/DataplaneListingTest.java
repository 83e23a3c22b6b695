package io.jvs.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.DataplaneStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataplaneListingTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int print(final DataplaneStatus status) {
        return DataplaneListing.print(status, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void listsEveryCounterInOrderZerosIncluded() {
        final Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("rx", 1234L);
        counters.put("bad_l4_checksum", 3L);
        counters.put("forwarded", 1200L);
        counters.put("ring_drops", 0L);
        final DataplaneStatus status = new DataplaneStatus() {
            @Override
            public List<String> interfaces() {
                return List.of("ext0", "int0");
            }

            @Override
            public int workers() {
                return 2;
            }

            @Override
            public Map<String, Long> counters() {
                return counters;
            }
        };
        assertEquals(0, print(status));
        assertEquals("""
                Data plane on ext0,int0, 2 workers
                rx                       1234
                bad_l4_checksum          3
                forwarded                1200
                ring_drops               0
                """, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutADataPlaneItSaysSoAndFails() {
        assertEquals(1, print(null));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("No data plane is running"), err.toString());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
