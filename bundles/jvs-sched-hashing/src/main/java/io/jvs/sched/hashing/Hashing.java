package io.jvs.sched.hashing;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.SchedulerContext;

/**
 * The hash functions the hashing schedulers share with Linux: {@code hash_32} ({@code include/linux/hash.h}) and
 * {@code hsiphash} as 64-bit kernels compute it ({@code lib/siphash.c}: there HalfSipHash-1-3 is really SipHash-1-3
 * with two 64-bit key words, its result cut to 32 bits), plus gcd and the port rule of sh-port and mh-port.
 */
final class Hashing {
    /** {@code GOLDEN_RATIO_32}. */
    static final int GOLDEN_RATIO_32 = 0x61C88647;

    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int SCTP = 132;

    private Hashing() {
    }

    /** {@code hash_32(val, bits)}: multiply by the golden ratio, keep the high bits. */
    static int hash32(final int value, final int bits) {
        return (value * GOLDEN_RATIO_32) >>> (32 - bits);
    }

    /** Not overloaded and weight above 0 (the kernel's {@code !is_unavailable(dest)}). */
    static boolean available(final RealServer dest) {
        return dest.weight() > 0 && !dest.isOverloaded();
    }

    /** The source port hashed with sh-port or mh-port ({@code SCHED2}): TCP, UDP and SCTP only, otherwise 0. */
    static int hashedPort(final Flow flow, final int flags) {
        if ((flags & SchedulerContext.SCHED2) == 0) {
            return 0;
        }
        final int protocol = flow.protocol();
        return protocol == TCP || protocol == UDP || protocol == SCTP ? flow.sourcePort() : 0;
    }

    /**
     * {@code hsiphash(&v, 4, key)} on a 64-bit little-endian kernel: SipHash-1-3 of the four bytes of {@code v},
     * with the key words {@code k0}, {@code k1}, truncated to 32 bits. Allocation free.
     */
    static int hsiphash32(final int v, final long k0, final long k1) {
        final long b = (4L << 56) | (v & 0xFFFF_FFFFL);
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        v3 ^= b;
        for (int r = 0; r < 4; r++) {           // 1 compression round, then 3 finalization rounds
            if (r == 1) {
                v0 ^= b;
                v2 ^= 0xff;
            }
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return (int) (v0 ^ v1 ^ v2 ^ v3);
    }

    /**
     * SipHash-c-d over a byte array, as the reference implementation and {@code lib/siphash.c} define it: the
     * general form {@link #hsiphash32} specialises. Control plane and tests only.
     */
    static long siphash(final byte[] data, final long k0, final long k1, final int cRounds, final int dRounds) {
        final long[] v = {0x736f6d6570736575L ^ k0, 0x646f72616e646f6dL ^ k1,
            0x6c7967656e657261L ^ k0, 0x7465646279746573L ^ k1};
        final int blocks = data.length & ~7;
        for (int off = 0; off < blocks; off += 8) {
            long m = 0;
            for (int i = 7; i >= 0; i--) {
                m = (m << 8) | (data[off + i] & 0xFF);
            }
            v[3] ^= m;
            rounds(v, cRounds);
            v[0] ^= m;
        }
        long b = (long) data.length << 56;
        for (int i = data.length - 1; i >= blocks; i--) {
            b |= (long) (data[i] & 0xFF) << (8 * (i - blocks));
        }
        v[3] ^= b;
        rounds(v, cRounds);
        v[0] ^= b;
        v[2] ^= 0xff;
        rounds(v, dRounds);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void rounds(final long[] v, final int count) {
        for (int r = 0; r < count; r++) {
            v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
            v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
            v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
            v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
        }
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            final int r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}
