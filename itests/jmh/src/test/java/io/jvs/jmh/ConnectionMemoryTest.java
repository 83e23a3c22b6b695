package io.jvs.jmh;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The target "at most 128 bytes per tracked connection with 1 million connections", held on every build:
 * {@link ConnectionMemory} weighs a full table both by the heap in use and by its arrays.
 */
class ConnectionMemoryTest {
    @Test
    void aMillionConnectionsTakeAtMost128BytesEach() throws Exception {
        final ConnectionMemory.Result r = ConnectionMemory.measure(1_000_000, 1_000_000);
        assertTrue(r.met(), r.report());
        assertTrue(r.perArrays() > 0 && r.perHeap() >= r.perArrays(), "the heap grew by at least the arrays:\n"
                + r.report());
    }
}
