package io.jvs.core.conn;

import io.jvs.core.svc.DestinationState;

/**
 * A worker's window on one connection: before a lookup it says what the packet is (TCP flags, the state table
 * and timeouts in force); after it, it holds a copy of the connection with the packet applied. Reused for
 * every packet, so lookups allocate nothing and never read a slot outside its lock.
 */
public final class ConnectionView {
    /** Input: TCP flags of the packet, or -1 for a protocol without states (UDP). */
    public int tcpFlags = -1;
    /** Input: whether the packet moves the connection's state and timer (a listing only reads). */
    public boolean apply = true;
    /** Input: the TCP transition table (normal or secure_tcp). */
    public TcpStateTable states = TcpStateTable.NORMAL;
    /** Input: the idle timeouts in force. */
    public ConnectionTimeouts timeouts = ConnectionTimeouts.DEFAULTS;

    public int slot = -1;
    public int protocol;
    public int caddr;
    public int cport;
    public int vaddr;
    public int vport;
    public int daddr;
    public int dport;
    public int state;
    public int flags;
    /** State before this packet; differs from {@link #state} when the packet moved it. */
    public int previousState;
    public long expiresAt;
    /** Idle timeout in seconds. */
    public int timeout;
    public int controlSlot;
    public int controlled;
    public DestinationState owner;

    void copy(final ConnectionTable t, final int s) {
        slot = s;
        final long addr = t.word(s, ConnectionTable.W_ADDR);
        final long ports = t.word(s, ConnectionTable.W_PORTS);
        final long meta = t.word(s, ConnectionTable.W_META);
        final long timer = t.word(s, ConnectionTable.W_TIMER);
        caddr = (int) (addr >>> 32);
        vaddr = (int) addr;
        daddr = (int) (ports >>> 32);
        cport = (int) (ports >>> 16) & 0xFFFF;
        vport = (int) ports & 0xFFFF;
        dport = (int) (meta >>> 48);
        protocol = (int) (meta >>> 40) & 0xFF;
        state = (int) (meta >>> 32) & 0xFF;
        previousState = state;
        flags = (int) meta;
        expiresAt = t.word(s, ConnectionTable.W_EXPIRE);
        timeout = (int) (timer >>> 32);
        controlSlot = (int) timer - 1;
        controlled = (int) (t.word(s, ConnectionTable.W_LINK) >>> 32);
        owner = t.owner(s);
    }

    /** Copies the slot and, for a connection, applies the packet as {@code set_tcp_state} and the timer re-arm do. */
    void load(final ConnectionTable t, final int s, final boolean inbound) {
        copy(t, s);
        if (!apply || (flags & ConnectionTable.F_TEMPLATE) != 0) {
            return;
        }
        if (inbound && !owner.isAvailable()) {
            // Its realserver was deleted: ip_vs_in drops the packet before ip_vs_set_state and without restarting
            // the timer, so the connection runs out the timer it had (or expire_nodest_conn ends it now).
            return;
        }
        int timeoutSeconds;
        if (tcpFlags >= 0) {
            final int direction = (flags & ConnectionTable.F_NOOUTPUT) != 0 ? TcpStateTable.INPUT_ONLY
                    : inbound ? TcpStateTable.INPUT : TcpStateTable.OUTPUT;
            final int next = states.next(direction, TcpStateTable.event(tcpFlags), state);
            if (next != state) {
                final boolean wasActive = (flags & ConnectionTable.F_INACTIVE) == 0;
                final boolean isActive = next == TcpState.ESTABLISHED.ordinal();
                if (wasActive != isActive) {
                    owner.activated(isActive);
                    flags ^= ConnectionTable.F_INACTIVE;
                }
                state = next;
            }
            timeoutSeconds = timeouts.tcp(state);
        } else {
            timeoutSeconds = timeouts.udp();
        }
        timeout = timeoutSeconds;
        expiresAt = t.now() + timeoutSeconds * 1000L;
        final long meta = t.word(s, ConnectionTable.W_META);
        t.word(s, ConnectionTable.W_META, (meta & 0xFFFFFF00_00000000L) | (long) (state & 0xFF) << 32
                | (flags & 0xFFFFFFFFL));
        t.word(s, ConnectionTable.W_EXPIRE, expiresAt);
        t.word(s, ConnectionTable.W_TIMER, (long) timeout << 32 | (controlSlot + 1));
    }
}
