package io.jvs.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The target "0 bytes allocated per packet", held on every build: {@link PipelineAllocation}'s three
 * rounds of the per-packet path on the in-memory port, counted by the worker thread's own allocation counter.
 * The first rounds warm up (class loading, and the JIT, whose deoptimisations can allocate what it had
 * scalar-replaced); the last two must allocate nothing at all. An allocation per packet, or every so many packets,
 * shows in every round of 1.28 million.
 */
class PipelineAllocationTest {
    @ParameterizedTest
    @ValueSource(strings = {"natIn", "natOut", "drIn", "newConnection"})
    void thePacketPathAllocatesNothing(final String variant) throws Exception {
        final int rounds = 8;
        final long[] packets = new long[rounds];
        final long[] bytes = PipelineAllocation.measure(variant, 20_000, rounds, (r, n, b) -> packets[r - 1] = n);
        assertEquals(20_000L * 64, packets[rounds - 1], "every poll forwarded a full batch");
        assertTrue(bytes[rounds - 2] == 0 && bytes[rounds - 1] == 0, variant + " allocated " + Arrays.toString(bytes)
                + " bytes in rounds of " + packets[rounds - 1] + " packets");
    }
}
