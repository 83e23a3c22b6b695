package io.jvs.core.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * libc through JNA direct mapping (about 50-90 ns a call here, so the hot path calls it per batch only).
 * Set-up calls throw {@link LastErrorException} with errno; the batch calls ({@link #poll}, {@link #sendto})
 * return -1 and leave errno to {@link Native#getLastError()}, so an idle loop never builds an exception.
 */
public final class LibC {
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int NETLINK_ROUTE = 0;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_POPULATE = 0x8000;
    public static final int POLLIN = 1;
    public static final int POLLOUT = 4;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int EAGAIN = 11;
    public static final int EINTR = 4;
    public static final int ENOBUFS = 105;

    static {
        Native.register("c");
    }

    private LibC() {
    }

    public static native int socket(int domain, int type, int protocol) throws LastErrorException;

    public static native int bind(int fd, Pointer addr, int len) throws LastErrorException;

    public static native int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    public static native int getsockopt(int fd, int level, int name, Pointer value, Pointer len)
            throws LastErrorException;

    public static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    public static native int munmap(Pointer addr, long length) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    public static native int if_nametoindex(String name);

    public static native int open(String path, int flags) throws LastErrorException;

    public static native int setns(int fd, int nstype) throws LastErrorException;

    public static final int PR_SET_TIMERSLACK = 29;

    public static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    /**
     * Sets how late (in nanoseconds) the kernel may fire the calling thread's timers, so that short sleeps are as
     * short as asked (the default slack is 50 µs). Best effort: returns false if the kernel refused.
     */
    public static boolean timerSlack(final long nanos) {
        return prctl(PR_SET_TIMERSLACK, nanos, 0, 0, 0) == 0;
    }

    /** {@code pid} 0: the calling thread. */
    public static native int sched_getaffinity(int pid, long size, Pointer mask) throws LastErrorException;

    public static native int sched_setaffinity(int pid, long size, Pointer mask) throws LastErrorException;

    /** Batch call: -1 with errno on failure. */
    public static native int poll(Pointer fds, int nfds, int timeoutMillis);

    public static native int eventfd(int initval, int flags) throws LastErrorException;

    /** -1 with errno on failure. */
    public static native long write(int fd, Pointer buf, long len);

    /** Batch call: -1 with errno on failure. A null buffer kicks a TX ring. */
    public static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrLen);

    /** Batch call: -1 with errno on failure. */
    public static native long recv(int fd, Pointer buf, long len, int flags);

    /** Batch call: -1 with errno on failure. {@code addrLen} is in/out, a pointer to an int. */
    public static native long recvfrom(int fd, Pointer buf, long len, int flags, Pointer addr, Pointer addrLen);

    /** Batch call: -1 with errno on failure. */
    public static native long send(int fd, Pointer buf, long len, int flags);

    /** Closes without throwing: for clean-up paths that must go on. */
    public static void closeQuietly(final int fd) {
        if (fd >= 0) {
            try {
                close(fd);
            } catch (final LastErrorException e) {
                // nothing more to do for a descriptor that will not close
            }
        }
    }
}
