package io.jvs.core.conn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The IPVS TCP state machine as data ({@code tcp_states} and {@code tcp_states_dos} in
 * {@code ip_vs_proto_tcp.c}). The tables are text resources laid out like the kernel's arrays, so they are
 * reviewed as tables; the secure_tcp defence swaps the table instead of adding branches to the packet path.
 */
public final class TcpStateTable {
    /** Client to server. */
    public static final int INPUT = 0;
    /** Server to client, seen only for NAT. */
    public static final int OUTPUT = 1;
    /** Client to server on a connection that has seen no output yet: DR and TUN, whose replies bypass us. */
    public static final int INPUT_ONLY = 2;

    public static final int SYN = 0;
    public static final int FIN = 1;
    public static final int ACK = 2;
    public static final int RST = 3;
    /** A segment with none of RST, SYN, FIN, ACK set. */
    public static final int NO_EVENT = -1;

    /** TCP header flag bits (byte 13 of the header). */
    public static final int TH_FIN = 0x01;
    public static final int TH_SYN = 0x02;
    public static final int TH_RST = 0x04;
    public static final int TH_ACK = 0x10;

    private static final List<String> DIRECTIONS = List.of("INPUT", "OUTPUT", "INPUT_ONLY");
    private static final List<String> EVENTS = List.of("syn", "fin", "ack", "rst");
    private static final int STATES = TcpState.values().length;
    private static final int CLOSE = TcpState.CLOSE.ordinal();

    /** The normal table. */
    public static final TcpStateTable NORMAL = load("tcp-states.txt");
    /** The secure_tcp table, which holds connections in SYN_RECV or SYNACK until the handshake is seen. */
    public static final TcpStateTable SECURE = load("tcp-states-secure.txt");

    /** Next state codes, [direction][event][state] flattened. */
    private final byte[] next;

    private TcpStateTable(final byte[] next) {
        this.next = next;
    }

    /** The event of a segment by its flags, RST before SYN before FIN before ACK ({@code tcp_state_idx}). */
    public static int event(final int tcpFlags) {
        if ((tcpFlags & TH_RST) != 0) {
            return RST;
        }
        if ((tcpFlags & TH_SYN) != 0) {
            return SYN;
        }
        if ((tcpFlags & TH_FIN) != 0) {
            return FIN;
        }
        return (tcpFlags & TH_ACK) != 0 ? ACK : NO_EVENT;
    }

    /**
     * The next state code. A segment with no event closes the connection from any state: the kernel's
     * {@code set_tcp_state} starts from CLOSE and skips the table lookup in that case.
     */
    public int next(final int direction, final int event, final int state) {
        if (event == NO_EVENT) {
            return CLOSE;
        }
        return next[(direction * EVENTS.size() + event) * STATES + state];
    }

    /** The state after a segment with these TCP flags. */
    public TcpState onSegment(final int direction, final int tcpFlags, final TcpState state) {
        return TcpState.of(next(direction, event(tcpFlags), state.ordinal()));
    }

    private static TcpStateTable load(final String resource) {
        try (InputStream in = TcpStateTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(resource, reader.lines().toList());
        } catch (final IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    /**
     * Reads a table: a direction name opens a block, whose {@code state} line must list the states in code
     * order and whose event lines give the next state under each. Every cell must be given exactly once.
     */
    static TcpStateTable parse(final String name, final List<String> lines) {
        final byte[] next = new byte[DIRECTIONS.size() * EVENTS.size() * STATES];
        Arrays.fill(next, (byte) -1);
        final String header = "state " + String.join(" ",
                Arrays.stream(TcpState.values()).map(s -> "s" + s.abbreviation()).toList());
        int direction = -1;
        boolean headerSeen = false;
        for (int n = 0; n < lines.size(); n++) {
            final String line = lines.get(n).replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            final String[] tokens = line.split("\\s+");
            final String where = name + ":" + (n + 1) + ": ";
            if (tokens.length == 1) {
                direction = DIRECTIONS.indexOf(tokens[0]);
                check(direction >= 0, where + "unknown direction " + tokens[0]);
                headerSeen = false;
            } else if (tokens[0].equals("state")) {
                check(direction >= 0 && String.join(" ", tokens).equals(header), where + "expected " + header);
                headerSeen = true;
            } else {
                final int event = EVENTS.indexOf(tokens[0]);
                check(headerSeen && event >= 0 && tokens.length == STATES + 1, where + "malformed row");
                final int row = (direction * EVENTS.size() + event) * STATES;
                check(next[row] == -1, where + "event given twice");
                for (int s = 0; s < STATES; s++) {
                    next[row + s] = (byte) code(where, tokens[s + 1]);
                }
            }
        }
        for (final byte b : next) {
            check(b >= 0, name + ": incomplete table");
        }
        return new TcpStateTable(next);
    }

    private static int code(final String where, final String token) {
        for (final TcpState s : TcpState.values()) {
            if (token.equals("s" + s.abbreviation())) {
                return s.ordinal();
            }
        }
        throw new IllegalStateException(where + "unknown state " + token);
    }

    private static void check(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
