package io.jvs.core.route;

import io.jvs.core.os.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full dumps over a socket of its own, kept apart from the notification socket so that notifications queued
 * during a dump stay queued and lead to the next one. A dump the kernel flags as interrupted, or whose
 * datagram overflowed the buffer, is restarted: a table mixing two states of the system is never published.
 */
final class RouteDumper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouteDumper.class);
    private static final int AF_UNSPEC = 0;
    private static final int ATTEMPTS = 3;
    private static final long ANSWER_NANOS = 5_000_000_000L;

    private final NetlinkSocket socket;
    private final RtnlParser parser = new RtnlParser();
    private int seq;

    private RouteDumper(final NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens the dump socket in the calling thread's network namespace. */
    static RouteDumper open() {
        return new RouteDumper(NetlinkSocket.open(0));
    }

    /** Links, then addresses, then routes; throws {@link IllegalStateException} if the kernel fails it. */
    RouteTable dump() {
        for (int attempt = 1; ; attempt++) {
            parser.reset();
            final long malformedBefore = parser.malformed();
            final boolean complete = part(Rtnl.RTM_GETLINK, Rtnl.IFINFOMSG_LEN, AF_UNSPEC)
                    && part(Rtnl.RTM_GETADDR, Rtnl.IFADDRMSG_LEN, LibC.AF_INET)
                    && part(Rtnl.RTM_GETROUTE, Rtnl.RTMSG_LEN, LibC.AF_INET);
            final long malformed = parser.malformed() - malformedBefore;
            if (malformed > 0) {
                LOG.warn("skipped {} malformed rtnetlink messages in a dump", malformed);
            }
            if (complete && !parser.interrupted()) {
                return parser.table();
            }
            if (attempt == ATTEMPTS) {
                if (!complete) {
                    throw new IllegalStateException("rtnetlink dump truncated " + ATTEMPTS + " times");
                }
                // The change that interrupted it is queued as a notification: the monitor dumps again.
                LOG.warn("rtnetlink dump interrupted {} times by changes; keeping the last one", ATTEMPTS);
                return parser.table();
            }
            LOG.debug("rtnetlink dump {}; restarting", complete ? "interrupted by a change" : "truncated");
        }
    }

    long malformed() {
        return parser.malformed();
    }

    @Override
    public void close() {
        socket.close();
    }

    /** One request and its answer; false when a datagram was lost to a short buffer (grown since). */
    private boolean part(final int type, final int headerLength, final int family) {
        final int request = ++seq;
        socket.requestDump(type, headerLength, family, request);
        final long deadline = System.nanoTime() + ANSWER_NANOS;
        while (true) {
            final int length = socket.receive();
            if (length == -LibC.EAGAIN) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no answer to an rtnetlink dump request in 5 s");
                }
                socket.await((int) (left / 1_000_000) + 1);
            } else if (length == -NetlinkSocket.EMSGSIZE) {
                return false;
            } else if (length < 0) {
                throw new IllegalStateException("cannot receive an rtnetlink dump: errno " + -length);
            } else {
                final int status = parser.parse(socket.datagram(), request);
                if (status == RtnlParser.DONE) {
                    return true;
                }
                if (status < 0) {
                    throw new IllegalStateException("rtnetlink dump refused: errno " + -status);
                }
            }
        }
    }
}
