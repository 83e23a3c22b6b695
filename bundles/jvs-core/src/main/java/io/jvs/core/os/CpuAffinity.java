package io.jvs.core.os;

import com.sun.jna.Memory;
import java.util.Arrays;

/**
 * Binds the calling thread to CPUs ({@code sched_setaffinity(2)}), for workers that serve the frames their CPU
 * received (PACKET_FANOUT_CPU).
 */
public final class CpuAffinity {
    /** A {@code cpu_set_t} of 1024 CPUs, as glibc's. */
    private static final int SET_BYTES = 128;

    private CpuAffinity() {
    }

    /** The CPUs the calling thread may run on, ascending. */
    public static int[] allowed() {
        final Memory mask = new Memory(SET_BYTES);
        mask.clear();
        LibC.sched_getaffinity(0, SET_BYTES, mask);
        int[] cpus = new int[8];
        int n = 0;
        for (int cpu = 0; cpu < SET_BYTES * 8; cpu++) {
            if ((mask.getByte(cpu >>> 3) >>> (cpu & 7) & 1) != 0) {
                if (n == cpus.length) {
                    cpus = Arrays.copyOf(cpus, n * 2);
                }
                cpus[n++] = cpu;
            }
        }
        return Arrays.copyOf(cpus, n);
    }

    /** Of {@code cpus}, those that PACKET_FANOUT_CPU gives to member {@code q} of {@code members}: cpu % members == q. */
    public static int[] ofMember(final int[] cpus, final int q, final int members) {
        return Arrays.stream(cpus).filter(c -> c % members == q).toArray();
    }

    /** Binds the calling thread to {@code cpus} (not empty). */
    public static void pin(final int[] cpus) {
        if (cpus.length == 0) {
            throw new IllegalArgumentException("no CPU to pin to");
        }
        final Memory mask = new Memory(SET_BYTES);
        mask.clear();
        for (final int cpu : cpus) {
            if (cpu < 0 || cpu >= SET_BYTES * 8) {
                throw new IllegalArgumentException("no such CPU: " + cpu);
            }
            mask.setByte(cpu >>> 3, (byte) (mask.getByte(cpu >>> 3) | 1 << (cpu & 7)));
        }
        LibC.sched_setaffinity(0, SET_BYTES, mask);
    }
}
