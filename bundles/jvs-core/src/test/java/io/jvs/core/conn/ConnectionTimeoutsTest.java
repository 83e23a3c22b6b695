package io.jvs.core.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvs.api.TableCommand;
import io.jvs.api.Timeouts;
import io.jvs.core.svc.ServiceTable;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConnectionTimeoutsTest {

    private static String tcpTimeouts(final ConnectionTimeouts t) {
        return Arrays.stream(TcpState.values()).map(s -> String.valueOf(t.tcp(s))).collect(Collectors.joining(" "));
    }

    @Test
    void shouldPrintTheKernelsStateNamesAndDefaults() {
        assertEquals("NONE ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN SYNACK",
                Arrays.stream(TcpState.values()).map(TcpState::toString).collect(Collectors.joining(" ")));
        assertEquals("2 900 120 60 120 120 10 60 30 120 120", tcpTimeouts(ConnectionTimeouts.DEFAULTS));
        assertEquals(300, ConnectionTimeouts.DEFAULTS.udp());
        assertEquals(TcpState.SYNACK, TcpState.of(10));
    }

    @Test
    void shouldApplySetTcpTcpfinUdpToEstablishedFinWaitAndUdp() {
        final ConnectionTimeouts t = new ConnectionTimeouts(new Timeouts(3600, 30, 45));
        assertEquals("2 3600 120 60 30 120 10 60 30 120 120", tcpTimeouts(t));
        assertEquals(45, t.udp());
        assertEquals(3600, t.tcp(TcpState.ESTABLISHED.ordinal()));
    }

    @Test
    void shouldFollowTheTablesTimeouts() throws Exception {
        try (ServiceTable table = new ServiceTable()) {
            table.apply(new TableCommand.SetTimeouts(new Timeouts(0, 60, 0)));
            final ConnectionTimeouts t = new ConnectionTimeouts(table.timeouts());
            assertEquals(900, t.tcp(TcpState.ESTABLISHED));
            assertEquals(60, t.tcp(TcpState.FIN_WAIT));
            assertEquals(120, t.tcp(TcpState.TIME_WAIT), "tcpfin is FIN_WAIT only");
            assertEquals(300, t.udp());
        }
    }

    @Test
    void shouldKeepTheDefaultForAZeroField() {
        assertEquals("2 900 120 60 5 120 10 60 30 120 120",
                tcpTimeouts(new ConnectionTimeouts(new Timeouts(0, 5, 0))));
    }
}
