package io.jvs.core.dataplane;

import java.nio.ByteBuffer;

/**
 * Frames a worker holds while it asks for their next hop's MAC (the kernel's {@code unres_qlen} queue): a
 * fixed set of 2 KiB slots, so holding allocates nothing; when every slot is taken the frame is dropped.
 */
final class HeldFrames {
    static final long MAX_WAIT_MILLIS = 3_000;
    private static final int SLOT = 2048;

    private final ByteBuffer buffer;
    private final int[] length;
    private final int[] port;
    private final int[] nextHop;
    private final int[] mtu;
    private final long[] since;
    private int size;

    HeldFrames(final int slots) {
        buffer = ByteBuffer.allocateDirect(slots * SLOT);
        length = new int[slots];
        port = new int[slots];
        nextHop = new int[slots];
        mtu = new int[slots];
        since = new long[slots];
    }

    /**
     * Copies the frame into a free slot; false when none is free. {@code pathMtu} is the MTU the packet is to be
     * fragmented for on release, or 0 when it fits.
     */
    boolean hold(final ByteBuffer frame, final int offset, final int len, final int out, final int hop,
                 final int pathMtu, final long now) {
        if (len > SLOT) {
            return false;
        }
        for (int i = 0; i < length.length; i++) {
            if (length[i] == 0) {
                buffer.put(i * SLOT, frame, offset, len);
                length[i] = len;
                port[i] = out;
                nextHop[i] = hop;
                mtu[i] = pathMtu;
                since[i] = now;
                size++;
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    int first() {
        return next(-1);
    }

    /** The next occupied slot after {@code i}, or -1. */
    int next(final int i) {
        for (int j = i + 1; j < length.length; j++) {
            if (length[j] != 0) {
                return j;
            }
        }
        return -1;
    }

    void release(final int i) {
        length[i] = 0;
        size--;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    int offset(final int i) {
        return i * SLOT;
    }

    int length(final int i) {
        return length[i];
    }

    int port(final int i) {
        return port[i];
    }

    int nextHop(final int i) {
        return nextHop[i];
    }

    int mtu(final int i) {
        return mtu[i];
    }

    long since(final int i) {
        return since[i];
    }
}
