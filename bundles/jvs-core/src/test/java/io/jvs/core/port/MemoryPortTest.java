package io.jvs.core.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Queues of a memory port are independent ring pairs, the queue-less methods are queue 0, and nothing allocates. */
class MemoryPortTest {
    private static final long MAC = 0x0200_0000_0007L;

    @Test
    void eachQueueHasItsOwnReceiveAndTransmitRing() {
        final MemoryPort port = new MemoryPort("mem0", 7, MAC, 4, 3);
        assertEquals(3, port.queues());
        assertTrue(port.inject(0, frame(0xA0)));
        assertTrue(port.inject(2, frame(0xB0)));

        assertEquals(List.of(), received(port, 1), "queue 1 got nothing");
        assertEquals(List.of(0xB0), received(port, 2));
        assertEquals(List.of(0xA0), received(port, 0));

        assertTrue(port.transmit(1, ByteBuffer.wrap(frame(0xC0)), 0, 60));
        assertNull(port.drain(0));
        assertNull(port.drain(2));
        assertArrayEquals(frame(0xC0), port.drain(1));
        assertNull(port.drain(1));
        assertEquals(1, port.transmitted());
        assertEquals(1, port.transmitted(1));
        assertEquals(0, port.transmitted(0));
    }

    @Test
    void aFullQueueLeavesTheOthersFree() {
        final MemoryPort port = new MemoryPort("mem0", 7, MAC, 2, 2);
        assertTrue(port.inject(0, frame(1)));
        assertTrue(port.inject(0, frame(2)));
        assertFalse(port.inject(0, frame(3)), "queue 0 holds 2");
        assertTrue(port.inject(1, frame(4)));
        final ByteBuffer f = ByteBuffer.wrap(frame(5));
        assertTrue(port.transmit(0, f, 0, 60));
        assertTrue(port.transmit(0, f, 0, 60));
        assertFalse(port.transmit(0, f, 0, 60));
        assertTrue(port.transmit(1, f, 0, 60));
        assertEquals(List.of(1, 2), received(port, 0));
        assertEquals(List.of(4), received(port, 1));
    }

    @Test
    void queueLessMethodsAreQueueZeroOfASingleQueuePort() {
        final MemoryPort port = new MemoryPort("mem0", 7, MAC, 4);
        assertEquals(1, port.queues());
        assertTrue(port.inject(frame(9)));
        assertTrue(port.inject(ByteBuffer.wrap(frame(10)), 0, 60));
        assertEquals(List.of(9, 10), received(port, 0));
        port.transmit(0, ByteBuffer.wrap(frame(11)), 0, 60);
        assertArrayEquals(frame(11), port.drain());
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> port.inject(1, frame(12)));
        assertThrows(IllegalArgumentException.class, () -> new MemoryPort("mem1", 8, MAC, 4, 0));
    }

    @Test
    void replayCyclesOverEachQueuesOwnFrames() {
        final MemoryPort port = new MemoryPort("mem0", 7, MAC, 4, 2);
        port.inject(0, frame(1));
        port.inject(0, frame(2));
        port.inject(1, frame(3));
        port.replay(true);
        final List<Integer> zero = new ArrayList<>();
        port.receive(0, (b, o, l) -> zero.add(b.get(o + 59) & 0xFF), 5);
        final List<Integer> one = new ArrayList<>();
        port.receive(1, (b, o, l) -> one.add(b.get(o + 59) & 0xFF), 3);
        assertEquals(List.of(1, 2, 1, 2, 1), zero);
        assertEquals(List.of(3, 3, 3), one);
    }

    /**
     * Inject, receive and transmit on two queues, 100,000 rounds each measured, allocate nothing (draining,
     * which allocates by design, happens between the measured batches). Tolerance as in WireAllocationTest.
     */
    @Test
    void receiveAndTransmitAllocateNothing() {
        final java.lang.management.ThreadMXBean platform = ManagementFactory.getThreadMXBean();
        assumeTrue(platform instanceof com.sun.management.ThreadMXBean, "HotSpot thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) platform;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        final MemoryPort port = new MemoryPort("mem0", 7, MAC, 1024, 2);
        final ByteBuffer frame = ByteBuffer.allocateDirect(60).put(0, frame(1));
        final Echo echo = new Echo(port);
        long allocated = 0;
        for (int batch = 0; batch < 200; batch++) {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                echo.queue = i & 1;
                port.inject(echo.queue, frame, 0, 60);
                port.receive(echo.queue, echo, 1);
            }
            final long used = threads.getCurrentThreadAllocatedBytes() - before;
            if (batch >= 100) {            // the first 100 are warm-up
                allocated += used;
            }
            while (port.drain(0) != null || port.drain(1) != null) {
                // empty the transmit rings for the next batch
            }
        }
        assertEquals(200_000, port.transmitted());
        assertTrue(allocated <= 4096, allocated + " bytes allocated in 100,000 rounds");
    }

    /** Sends every frame it receives back out of the queue it came from, as a worker does. */
    private static final class Echo implements FrameHandler {
        private final MemoryPort port;
        int queue;

        Echo(final MemoryPort port) {
            this.port = port;
        }

        @Override
        public void onFrame(final ByteBuffer frame, final int offset, final int length) {
            port.transmit(queue, frame, offset, length);
        }
    }

    /** A 60-byte frame whose last byte is {@code tag}. */
    private static byte[] frame(final int tag) {
        final byte[] f = new byte[60];
        f[59] = (byte) tag;
        return f;
    }

    private static List<Integer> received(final MemoryPort port, final int queue) {
        final List<Integer> tags = new ArrayList<>();
        port.receive(queue, (b, o, l) -> tags.add(b.get(o + l - 1) & 0xFF), 64);
        return tags;
    }
}
