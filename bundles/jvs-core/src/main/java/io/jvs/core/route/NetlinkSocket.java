package io.jvs.core.route;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.jvs.core.os.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A NETLINK_ROUTE socket of the network namespace of the thread that opens it, optionally subscribed to
 * multicast groups. Receives never block (the caller waits with {@link #await}), so the owning thread stays
 * responsive to being stopped. Only datagrams from the kernel are accepted: a local process could otherwise
 * unicast forged routes to our port.
 */
final class NetlinkSocket implements AutoCloseable {
    /** Result of {@link #receive()} when a datagram was longer than the buffer: lost, buffer grown. */
    static final int EMSGSIZE = 90;
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkSocket.class);
    private static final int SOCKADDR_NL_LEN = 12;
    /** Above the 32 KiB the kernel fills a dump datagram with, unless a link needs more. */
    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final int fd;
    private final Memory pollFd = new Memory(16);
    private final Memory request = new Memory(Rtnl.NLMSG_HDRLEN + Rtnl.IFINFOMSG_LEN);
    private final Memory sender = new Memory(SOCKADDR_NL_LEN);
    private final Memory senderLength = new Memory(4);
    private Memory receive;
    private ByteBuffer datagram;
    private boolean closed;

    private NetlinkSocket(final int fd) {
        this.fd = fd;
        allocate(INITIAL_CAPACITY);
    }

    /** Opens and binds a socket in the calling thread's namespace; {@code groups} is the RTMGRP_* mask. */
    static NetlinkSocket open(final int groups) {
        final int fd;
        try {
            fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
        } catch (final LastErrorException e) {
            throw new IllegalStateException("cannot open a netlink socket: errno " + e.getErrorCode(), e);
        }
        try (Memory address = new Memory(SOCKADDR_NL_LEN)) {
            address.clear();
            address.setShort(0, (short) LibC.AF_NETLINK);
            address.setInt(8, groups);
            LibC.bind(fd, address, SOCKADDR_NL_LEN);
        } catch (final LastErrorException e) {
            LibC.closeQuietly(fd);
            throw new IllegalStateException("cannot bind a netlink socket: errno " + e.getErrorCode(), e);
        }
        return new NetlinkSocket(fd);
    }

    /** Asks for a dump of {@code type}: a family header of {@code headerLength} bytes, zero but its family. */
    void requestDump(final int type, final int headerLength, final int family, final int seq) {
        final int length = Rtnl.NLMSG_HDRLEN + headerLength;
        request.clear();
        request.setInt(0, length);
        request.setShort(4, (short) type);
        request.setShort(6, (short) (Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP));
        request.setInt(8, seq);
        request.setByte(Rtnl.NLMSG_HDRLEN, (byte) family);
        long sent;
        do {
            sent = LibC.send(fd, request, length, 0);
        } while (sent < 0 && Native.getLastError() == LibC.EINTR);
        if (sent != length) {
            throw new IllegalStateException("cannot send a netlink request: errno " + Native.getLastError());
        }
    }

    /** Waits up to {@code timeoutMillis} for something to receive (or an error to read); false if none came. */
    boolean await(final int timeoutMillis) {
        return await(-1, timeoutMillis);
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: no limit) for something to receive, or for {@code wakeFd} (ignored if
     * negative) to become readable; true only if there is something to receive.
     */
    boolean await(final int wakeFd, final int timeoutMillis) {
        pollFd.setInt(0, fd);
        pollFd.setShort(4, (short) LibC.POLLIN);
        pollFd.setShort(6, (short) 0);
        pollFd.setInt(8, wakeFd);
        pollFd.setShort(12, (short) LibC.POLLIN);
        pollFd.setShort(14, (short) 0);
        final int ready = LibC.poll(pollFd, wakeFd >= 0 ? 2 : 1, timeoutMillis);
        if (ready < 0) {
            final int errno = Native.getLastError();
            if (errno == LibC.EINTR) {
                return false;
            }
            throw new IllegalStateException("cannot poll a netlink socket: errno " + errno);
        }
        return ready > 0 && pollFd.getShort(6) != 0;
    }

    /**
     * Takes one queued datagram without waiting and returns its length, the datagram being {@link #datagram()};
     * or a negative errno: -EAGAIN when none is queued, -ENOBUFS when notifications were lost, -EMSGSIZE.
     */
    int receive() {
        while (true) {
            senderLength.setInt(0, SOCKADDR_NL_LEN);
            // MSG_TRUNC: the datagram's real length, so a truncated one is seen, not parsed as complete.
            final long length = LibC.recvfrom(fd, receive, receive.size(), LibC.MSG_DONTWAIT | LibC.MSG_TRUNC,
                    sender, senderLength);
            if (length < 0) {
                final int errno = Native.getLastError();
                if (errno == LibC.EINTR) {
                    continue;
                }
                return -errno;
            }
            if (sender.getInt(4) != 0) {
                LOG.debug("ignored a netlink datagram from port {}", Integer.toUnsignedString(sender.getInt(4)));
                continue;
            }
            if (length > receive.size()) {
                LOG.debug("netlink datagram of {} bytes lost; buffer grown", length);
                allocate((int) Math.min(Integer.MAX_VALUE - 8, Long.highestOneBit(length) << 1));
                return -EMSGSIZE;
            }
            datagram.clear().limit((int) length);
            return (int) length;
        }
    }

    /** The last datagram received, from 0 to its limit, in host order. */
    ByteBuffer datagram() {
        return datagram;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.closeQuietly(fd);
        }
    }

    private void allocate(final int capacity) {
        receive = new Memory(capacity);
        datagram = receive.getByteBuffer(0, capacity).order(ByteOrder.nativeOrder());
    }
}
