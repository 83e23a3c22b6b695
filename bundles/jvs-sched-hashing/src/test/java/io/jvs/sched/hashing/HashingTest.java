package io.jvs.sched.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.jvs.testkit.sched.TestFlow;

/** Known answers for hash_32 and SipHash. */
class HashingTest {
    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    private static byte[] counting(final int length) {
        final byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) i;
        }
        return data;
    }

    @Test
    void hash32KeepsTheHighBitsOfTheGoldenRatioProduct() {
        assertEquals(0x61, Hashing.hash32(1, 8));                              // 0x61C88647 >> 24
        assertEquals(192, Hashing.hash32(TestFlow.ipv4("192.168.0.1"), 8));
        assertEquals(2, Hashing.hash32(TestFlow.ipv4("10.1.2.3"), 8));
        assertEquals(769, Hashing.hash32(TestFlow.ipv4("192.168.0.1"), 10));
    }

    @Test
    void sipHash24MatchesTheReferenceVector() {
        // veorq/SipHash vectors.h and the SipHash paper, appendix A: key 00..0f, message 00..0e.
        assertEquals(0xa129ca6149be45e5L, Hashing.siphash(counting(15), K0, K1, 2, 4));
        assertEquals(0x726fdb47dd0e0e31L, Hashing.siphash(counting(0), K0, K1, 2, 4));
    }

    @Test
    void hsiphashMatchesTheKernelSelfTestOn64Bit() {
        // lib/test_siphash.c test_vectors_hsiphash (BITS_PER_LONG == 64): SipHash-1-3, truncated to 32 bits.
        assertEquals(0x050fc4dc, (int) Hashing.siphash(counting(0), K0, K1, 1, 3));
        assertEquals(0x88d38328, (int) Hashing.siphash(counting(4), K0, K1, 1, 3));
        assertEquals(0x8d299a8e, (int) Hashing.siphash(counting(8), K0, K1, 1, 3));
        assertEquals(0x2a519956, (int) Hashing.siphash(counting(15), K0, K1, 1, 3));
        assertEquals(0x88d38328, Hashing.hsiphash32(0x03020100, K0, K1));      // hsiphash_1u32 self-test
    }

    @Test
    void fastPathEqualsTheGeneralFunction() {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            final int v = random.nextInt();
            final byte[] le = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
            assertEquals((int) Hashing.siphash(le, MaglevHashing.HASH1_KEY, MaglevHashing.HASH1_KEY, 1, 3),
                Hashing.hsiphash32(v, MaglevHashing.HASH1_KEY, MaglevHashing.HASH1_KEY));
        }
    }
}
