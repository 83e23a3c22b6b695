package io.jvs.core.port;

import java.nio.ByteBuffer;

/**
 * One data-plane interface as the workers see it: per worker queue, a batch receive path and a batched
 * transmit path; plus an unbatched control transmit for the housekeeping thread (ARP probes, gratuitous ARP).
 * Queue methods are called only by the queue's own worker thread.
 */
public interface Port extends AutoCloseable {
    /** Interface name, e.g. {@code eth0}. */
    String name();

    /** Kernel interface index. */
    int ifIndex();

    /** The interface's MAC address, first byte most significant. */
    long mac();

    /** Number of worker queues. */
    int queues();

    /**
     * Hands up to {@code max} received frames of a queue to the handler; never blocks.
     *
     * @return frames handed over
     */
    int receive(int queue, FrameHandler handler, int max);

    /**
     * Copies a frame into the queue's transmit path; sent at the latest by the next {@link #flush}.
     *
     * @return false when the transmit path is full (the caller counts the drop)
     */
    boolean transmit(int queue, ByteBuffer frame, int offset, int length);

    /** Pushes what {@link #transmit} queued onto the wire: one system call per batch. */
    void flush(int queue);

    /** A file descriptor to wait on (POLLIN) when the queue is idle, or -1 when it cannot be waited on. */
    int pollFd(int queue);

    /** Sends one frame outside the worker queues, for the control plane; thread safe, not for the packet path. */
    void sendControl(ByteBuffer frame, int offset, int length);

    /** Frames the kernel dropped because a receive ring was full. */
    long ringDrops();

    @Override
    void close();
}
