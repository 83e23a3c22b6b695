package io.jvs.core.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CpuAffinityTest {
    @Test
    void fanOutByCpuGivesMemberQTheCpusCongruentToQ() {
        final int[] cpus = {0, 1, 2, 3, 5, 8};
        assertArrayEquals(new int[] {0, 2, 8}, CpuAffinity.ofMember(cpus, 0, 2));
        assertArrayEquals(new int[] {1, 3, 5}, CpuAffinity.ofMember(cpus, 1, 2));
        assertArrayEquals(new int[] {2, 5, 8}, CpuAffinity.ofMember(cpus, 2, 3));
        assertArrayEquals(new int[0], CpuAffinity.ofMember(new int[] {0, 1}, 2, 4), "more members than CPUs");
    }

    @Test
    void aPinnedThreadRunsOnlyWhereItWasPinned() throws InterruptedException {
        final int[] all = CpuAffinity.allowed();
        assertTrue(all.length >= 1 && Arrays.stream(all).allMatch(c -> c >= 0), Arrays.toString(all));
        final int last = all[all.length - 1];
        final AtomicReference<Object> seen = new AtomicReference<>();
        final Thread t = new Thread(() -> {
            try {
                CpuAffinity.pin(new int[] {last});
                seen.set(CpuAffinity.allowed());
            } catch (final RuntimeException e) {
                seen.set(e);
            }
        });
        t.start();
        t.join(10_000);
        assertArrayEquals(new int[] {last}, (int[]) seen.get());
        assertArrayEquals(all, CpuAffinity.allowed(), "only the pinned thread changed");
    }

    @Test
    void nothingToPinToIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> CpuAffinity.pin(new int[0]));
        assertThrows(IllegalArgumentException.class, () -> CpuAffinity.pin(new int[] {-1}));
    }
}
