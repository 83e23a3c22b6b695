package io.jvs.core.os;

import com.sun.jna.LastErrorException;

/**
 * Enters a network namespace on the calling thread ({@code setns}). Sockets keep the namespace they were
 * created in, so a component opens its AF_PACKET and netlink sockets inside, then steps back out; its threads
 * need not stay there. Used by tests and the lab, which make their own namespaces with {@code ip netns add}.
 */
public final class NetNamespace implements AutoCloseable {
    private static final String SELF = "/proc/thread-self/ns/net";
    private final int previous;
    private boolean closed;

    private NetNamespace(final int previous) {
        this.previous = previous;
    }

    /** Moves the calling thread into the namespace {@code ip netns} calls {@code name}; close returns. */
    public static NetNamespace enter(final String name) {
        return enterPath("/var/run/netns/" + name);
    }

    public static NetNamespace enterPath(final String path) {
        final int back = LibC.open(SELF, LibC.O_RDONLY | LibC.O_CLOEXEC);
        int target = -1;
        try {
            target = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC);
            LibC.setns(target, LibC.CLONE_NEWNET);
        } catch (final LastErrorException e) {
            LibC.closeQuietly(back);
            throw new IllegalStateException("cannot enter network namespace " + path + ": errno " + e.getErrorCode(), e);
        } finally {
            LibC.closeQuietly(target);
        }
        return new NetNamespace(back);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.setns(previous, LibC.CLONE_NEWNET);
            } finally {
                LibC.closeQuietly(previous);
            }
        }
    }
}
