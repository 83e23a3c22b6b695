package io.jvs.core.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * An eventfd that a thread sleeping in poll(2) keeps in its poll set, so that another thread can end the sleep
 * at once: the way to stop a thread that waits on descriptors without giving it a timeout to wake up for.
 *
 * <p>{@link #signal()} and {@link #close()} are serialised, so a signal after the close is a no-op rather than a
 * write to a descriptor number the process may already have reused.
 */
public final class Wakeup implements AutoCloseable {
    private final Memory one = new Memory(8);
    private int fd;

    /** Throws {@link IllegalStateException} if the kernel refuses an eventfd. */
    public Wakeup() {
        try {
            fd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        } catch (final LastErrorException e) {
            throw new IllegalStateException("cannot create an eventfd: errno " + e.getErrorCode(), e);
        }
        one.setLong(0, 1);
    }

    /** The descriptor to poll for POLLIN; it stays readable once signalled. */
    public synchronized int fd() {
        return fd;
    }

    /** Makes the descriptor readable, waking whoever polls it; does nothing once closed. */
    public synchronized void signal() {
        if (fd >= 0) {
            LibC.write(fd, one, 8);
        }
    }

    @Override
    public synchronized void close() {
        LibC.closeQuietly(fd);
        fd = -1;
    }
}
