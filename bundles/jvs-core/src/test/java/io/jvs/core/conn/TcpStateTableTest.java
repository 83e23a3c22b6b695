package io.jvs.core.conn;

import static io.jvs.core.conn.TcpStateTable.ACK;
import static io.jvs.core.conn.TcpStateTable.FIN;
import static io.jvs.core.conn.TcpStateTable.INPUT;
import static io.jvs.core.conn.TcpStateTable.INPUT_ONLY;
import static io.jvs.core.conn.TcpStateTable.NO_EVENT;
import static io.jvs.core.conn.TcpStateTable.OUTPUT;
import static io.jvs.core.conn.TcpStateTable.RST;
import static io.jvs.core.conn.TcpStateTable.SYN;
import static io.jvs.core.conn.TcpStateTable.TH_ACK;
import static io.jvs.core.conn.TcpStateTable.TH_FIN;
import static io.jvs.core.conn.TcpStateTable.TH_RST;
import static io.jvs.core.conn.TcpStateTable.TH_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpStateTableTest {
    private static final TcpState NO = TcpState.NONE;
    private static final TcpState ES = TcpState.ESTABLISHED;
    private static final TcpState SS = TcpState.SYN_SENT;
    private static final TcpState SR = TcpState.SYN_RECV;
    private static final TcpState FW = TcpState.FIN_WAIT;
    private static final TcpState TW = TcpState.TIME_WAIT;
    private static final TcpState CL = TcpState.CLOSE;
    private static final TcpState CW = TcpState.CLOSE_WAIT;
    private static final TcpState LA = TcpState.LAST_ACK;
    private static final TcpState LI = TcpState.LISTEN;
    private static final TcpState SA = TcpState.SYNACK;

    /** lvs-anchors c.10, normal table: rows IN, OUT, IO x syn, fin, ack, rst; columns NO..SA. */
    private static final TcpState[][] NORMAL = {
        {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR},
        {CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW},
        {CL, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR},
        {SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR},
        {TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW},
        {ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES},
        {CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL},
        {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR},
        {CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW},
        {CL, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
    };

    /** The normal table with the differences lvs-anchors c.10 lists for secure_tcp applied. */
    private static final TcpState[][] SECURE = {
        {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SA},
        {CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, SA},
        {CL, ES, SS, SR, FW, TW, CL, CW, CL, LI, SA},
        {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
        {SS, ES, SS, SA, SS, SS, SS, SS, SS, LI, SA},
        {TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW},
        {ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES},
        {CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL},
        {SA, ES, ES, SR, SA, SA, SA, SA, SA, SA, SA},
        {CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW},
        {CL, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
        {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
    };

    private static void assertTable(final TcpState[][] expected, final TcpStateTable table) {
        for (int direction = 0; direction < 3; direction++) {
            for (int event = 0; event < 4; event++) {
                for (final TcpState state : TcpState.values()) {
                    final TcpState want = expected[direction * 4 + event][state.ordinal()];
                    assertEquals(want.ordinal(), table.next(direction, event, state.ordinal()),
                            "direction " + direction + " event " + event + " from " + state);
                }
            }
        }
    }

    @Test
    void shouldMatchTheKernelsNormalTableInEveryCell() {
        assertTable(NORMAL, TcpStateTable.NORMAL);
    }

    @Test
    void shouldMatchTheKernelsSecureTableInEveryCell() {
        assertTable(SECURE, TcpStateTable.SECURE);
    }

    @Test
    void shouldDifferFromTheNormalTableOnlyWhereTheAnchorsSay() {
        final List<String> differences = new ArrayList<>();
        final String[] rows = {"IN syn", "IN fin", "IN ack", "IN rst", "OUT syn", "OUT fin", "OUT ack", "OUT rst",
            "IO syn", "IO fin", "IO ack", "IO rst"};
        for (int row = 0; row < 12; row++) {
            for (final TcpState s : TcpState.values()) {
                final int normal = TcpStateTable.NORMAL.next(row / 4, row % 4, s.ordinal());
                final int secure = TcpStateTable.SECURE.next(row / 4, row % 4, s.ordinal());
                if (normal != secure) {
                    differences.add(rows[row] + " " + s.abbreviation() + "->" + TcpState.of(secure).abbreviation());
                }
            }
        }
        assertEquals(List.of("IN syn SA->SA", "IN fin SA->SA", "IN ack SR->SR", "IN ack SA->SA", "IN rst SA->CL",
                "OUT syn SR->SA", "OUT syn SA->SA", "IO syn NO->SA", "IO syn FW->SA", "IO syn TW->SA",
                "IO syn CL->SA", "IO syn CW->SA", "IO syn LA->SA", "IO syn LI->SA", "IO syn SA->SA"), differences);
    }

    @Test
    void shouldPickTheEventRstThenSynThenFinThenAck() {
        assertEquals(RST, TcpStateTable.event(TH_RST | TH_SYN | TH_FIN | TH_ACK));
        assertEquals(RST, TcpStateTable.event(TH_RST | TH_ACK));
        assertEquals(SYN, TcpStateTable.event(TH_SYN | TH_FIN | TH_ACK));
        assertEquals(SYN, TcpStateTable.event(TH_SYN | TH_ACK));
        assertEquals(FIN, TcpStateTable.event(TH_FIN | TH_ACK));
        assertEquals(ACK, TcpStateTable.event(TH_ACK | 0x08));   // PSH does not count
        assertEquals(NO_EVENT, TcpStateTable.event(0));
        assertEquals(NO_EVENT, TcpStateTable.event(0x08 | 0x20 | 0x40 | 0x80));   // PSH URG ECE CWR
    }

    @Test
    void shouldCloseOnASegmentWithoutEventFromAnyState() {
        for (final TcpStateTable table : List.of(TcpStateTable.NORMAL, TcpStateTable.SECURE)) {
            for (int direction = 0; direction < 3; direction++) {
                for (final TcpState s : TcpState.values()) {
                    assertEquals(CL, table.onSegment(direction, 0x08, s), direction + " " + s);
                }
            }
        }
    }

    /** Runs segments through a table: each step is a direction and TCP flags. */
    private static List<TcpState> run(final TcpStateTable table, final int... steps) {
        final List<TcpState> states = new ArrayList<>();
        TcpState s = TcpState.NONE;
        for (int i = 0; i < steps.length; i += 2) {
            s = table.onSegment(steps[i], steps[i + 1], s);
            states.add(s);
        }
        return states;
    }

    @Test
    void shouldEstablishAndCloseANatConnectionClientFirst() {
        assertEquals(List.of(SR, SR, ES, CW, CW, TW, TW), run(TcpStateTable.NORMAL,
                INPUT, TH_SYN, OUTPUT, TH_SYN | TH_ACK, INPUT, TH_ACK,
                INPUT, TH_FIN | TH_ACK, OUTPUT, TH_ACK, OUTPUT, TH_FIN | TH_ACK, INPUT, TH_ACK));
    }

    @Test
    void shouldCloseANatConnectionServerFirst() {
        assertEquals(List.of(SR, SR, ES, FW, FW, TW, TW), run(TcpStateTable.NORMAL,
                INPUT, TH_SYN, OUTPUT, TH_SYN | TH_ACK, INPUT, TH_ACK,
                OUTPUT, TH_FIN | TH_ACK, INPUT, TH_ACK, INPUT, TH_FIN | TH_ACK, OUTPUT, TH_ACK));
    }

    @Test
    void shouldFollowADirectRoutingConnectionOnInputAlone() {
        // Replies bypass the director: the client's FIN leaves the connection in FIN_WAIT until it expires.
        assertEquals(List.of(SR, ES, ES, FW, FW), run(TcpStateTable.NORMAL,
                INPUT_ONLY, TH_SYN, INPUT_ONLY, TH_ACK, INPUT_ONLY, TH_ACK | 0x08,
                INPUT_ONLY, TH_FIN | TH_ACK, INPUT_ONLY, TH_ACK));
        assertEquals(List.of(SR, ES, CL), run(TcpStateTable.NORMAL,
                INPUT_ONLY, TH_SYN, INPUT_ONLY, TH_ACK, INPUT_ONLY, TH_RST | TH_ACK));
    }

    @Test
    void shouldCloseOnResetAndReopenOnANewSyn() {
        assertEquals(List.of(SR, SR, ES, CL, SR), run(TcpStateTable.NORMAL,
                INPUT, TH_SYN, OUTPUT, TH_SYN | TH_ACK, INPUT, TH_ACK, OUTPUT, TH_RST, INPUT, TH_SYN));
    }

    @Test
    void shouldNotEstablishOnAnInputAckAloneUnderSecureTcp() {
        final int sr = SR.ordinal();
        assertEquals(ES.ordinal(), TcpStateTable.NORMAL.next(INPUT, ACK, sr));
        assertEquals(sr, TcpStateTable.SECURE.next(INPUT, ACK, sr));
        // A spoofed handshake (SYN, then ACK, never a server reply) stays half open with the short timeout.
        assertEquals(List.of(SR, SR, SR), run(TcpStateTable.SECURE, INPUT, TH_SYN, INPUT, TH_ACK, INPUT, TH_ACK));
        // A real one: the server's SYN-ACK marks SYNACK, and its next segment makes it ESTABLISHED.
        assertEquals(List.of(SR, SA, SA, ES), run(TcpStateTable.SECURE,
                INPUT, TH_SYN, OUTPUT, TH_SYN | TH_ACK, INPUT, TH_ACK, OUTPUT, TH_ACK));
        // Without the server's replies (DR, TUN) a SYN marks SYNACK, from which the client's ACK establishes.
        assertEquals(List.of(SA, ES), run(TcpStateTable.SECURE, INPUT_ONLY, TH_SYN, INPUT_ONLY, TH_ACK));
    }

    @Test
    void shouldRefuseMalformedTables() {
        final String header = "state sNO sES sSS sSR sFW sTW sCL sCW sLA sLI sSA";
        final String row = " sCL sCL sCL sCL sCL sCL sCL sCL sCL sCL sCL";
        final List<String> complete = new ArrayList<>();
        for (final String d : List.of("INPUT", "OUTPUT", "INPUT_ONLY")) {
            complete.add(d);
            complete.add(header);
            for (final String e : List.of("syn", "fin", "ack", "rst")) {
                complete.add(e + row + "   # comment");
            }
        }
        assertEquals(CL.ordinal(), TcpStateTable.parse("ok", complete).next(OUTPUT, RST, 0));
        assertThrows(IllegalStateException.class, () -> TcpStateTable.parse("short", complete.subList(0, 17)));
        final List<String> swapped = new ArrayList<>(complete);
        swapped.set(1, "state sES sNO sSS sSR sFW sTW sCL sCW sLA sLI sSA");
        assertThrows(IllegalStateException.class, () -> TcpStateTable.parse("swapped", swapped));
        final List<String> typo = new ArrayList<>(complete);
        typo.set(2, "syn" + row.replace("sCL sCL sCL", "sCL sXX sCL"));
        final IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> TcpStateTable.parse("typo", typo));
        assertTrue(e.getMessage().startsWith("typo:3: unknown state sXX"), e.getMessage());
        final List<String> twice = new ArrayList<>(complete);
        twice.add(3, "syn" + row);
        assertThrows(IllegalStateException.class, () -> TcpStateTable.parse("twice", twice));
    }
}
