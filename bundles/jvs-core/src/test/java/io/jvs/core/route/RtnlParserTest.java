package io.jvs.core.route;

import static io.jvs.core.route.Ipv4.of;
import static io.jvs.core.route.NetlinkMessages.AF_INET;
import static io.jvs.core.route.NetlinkMessages.AF_INET6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtnlParserTest {
    private static final int SEQ = 7;
    private static final int UP_RUNNING = Rtnl.IFF_UP | Rtnl.IFF_RUNNING;
    private static final byte[] MAC = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
    private static final byte[] HIGH_MAC = {(byte) 0xfe, (byte) 0xdc, (byte) 0xba, (byte) 0x98, 0x76, 0x54};

    private final RtnlParser parser = new RtnlParser();

    private static NetlinkMessages connectedRoute(final NetlinkMessages m, final int seq) {
        return m.routeHeader(seq, AF_INET, 24, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)
                .attrU32(Rtnl.RTA_TABLE, Rtnl.RT_TABLE_MAIN).attrAddress(Rtnl.RTA_DST, "10.77.1.0")
                .attrU32(Rtnl.RTA_OIF, 2).end();
    }

    @Test
    void shouldReadLinksAddressesAndMainTableUnicastRoutes() {
        final NetlinkMessages m = new NetlinkMessages()
                .link(SEQ, 1, UP_RUNNING | 8, "lo", new byte[6], 65536)
                .link(SEQ, 2, UP_RUNNING, "eth0", MAC, 1500)
                .link(SEQ, 3, Rtnl.IFF_UP, "eth1", HIGH_MAC, 9000)                 // no carrier: down
                .link(SEQ, 4, UP_RUNNING, "wg0", null, 1420)                       // no Ethernet address
                .address(SEQ, 2, 24, "10.77.1.2")
                .address(SEQ, 3, 16, "192.168.200.7");
        // Point-to-point: IFA_ADDRESS is the peer, IFA_LOCAL ours.
        m.begin(Rtnl.RTM_NEWADDR, 2, SEQ).u8(AF_INET).u8(32).u8(0).u8(0).u32(4)
                .attrAddress(Rtnl.IFA_ADDRESS, "172.16.0.1").attrAddress(Rtnl.IFA_LOCAL, "172.16.0.2").end();
        m.routeHeader(SEQ, AF_INET, 0, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)
                .attrU32(Rtnl.RTA_TABLE, Rtnl.RT_TABLE_MAIN).attrU32(Rtnl.RTA_PRIORITY, 100)
                .attrAddress(Rtnl.RTA_GATEWAY, "10.77.1.1").attrU32(Rtnl.RTA_OIF, 2).end();
        connectedRoute(m, SEQ);
        // Table ids above 255 only fit RTA_TABLE; rtm_table then says RT_TABLE_COMPAT (252).
        m.routeHeader(SEQ, AF_INET, 16, 252, Rtnl.RTN_UNICAST, 0).attrU32(Rtnl.RTA_TABLE, Rtnl.RT_TABLE_MAIN)
                .attrAddress(Rtnl.RTA_DST, "192.168.0.0").attrU32(Rtnl.RTA_OIF, 3)
                .attrU32(Rtnl.RTA_PRIORITY, 0xFFFF_FFFF).end();
        m.done(SEQ);

        assertEquals(RtnlParser.DONE, parser.parse(m.datagram(), SEQ));
        assertEquals(0, parser.malformed());
        assertFalse(parser.interrupted());
        final RouteTable table = parser.table();
        assertEquals(List.of(new Link(1, "lo", 0, 65536, true), new Link(2, "eth0", 0x001122334455L, 1500, true),
                new Link(3, "eth1", 0xFEDCBA987654L, 9000, false), new Link(4, "wg0", 0, 1420, true)), table.links());
        assertEquals(List.of(new InterfaceAddress(2, 0x0A4D0102, 24), new InterfaceAddress(3, of("192.168.200.7"), 16),
                new InterfaceAddress(4, of("172.16.0.2"), 32)), table.addresses());
        assertEquals(List.of(new Route(0, 0, of("10.77.1.1"), 2, 100), new Route(of("10.77.1.0"), 24, 0, 2, 0),
                new Route(of("192.168.0.0"), 16, 0, 3, -1)), table.routes());
    }

    /** RTA_METRICS: nested u32 attributes; RTAX_MTU is the route's own MTU. */
    private static byte[] metrics(final int... typeValue) {
        final ByteBuffer b = ByteBuffer.allocate(8 * typeValue.length / 2).order(ByteOrder.nativeOrder());
        for (int i = 0; i < typeValue.length; i += 2) {
            b.putShort((short) 8).putShort((short) typeValue[i]).putInt(typeValue[i + 1]);
        }
        return b.array();
    }

    @Test
    void shouldReadARoutesOwnMtuFromItsMetricsAndIgnoreAnImpossibleOne() {
        final NetlinkMessages m = new NetlinkMessages();
        m.routeHeader(SEQ, AF_INET, 32, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)
                .attrAddress(Rtnl.RTA_DST, "10.77.2.11").attrU32(Rtnl.RTA_OIF, 3)
                .attr(Rtnl.RTA_METRICS, metrics(8 /* RTAX_ADVMSS */, 1360, Rtnl.RTAX_MTU, 1400)).end();
        m.routeHeader(SEQ, AF_INET, 32, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)
                .attrAddress(Rtnl.RTA_DST, "10.77.2.12").attrU32(Rtnl.RTA_OIF, 3)
                .attr(Rtnl.RTA_METRICS, metrics(Rtnl.RTAX_MTU, 20)).end();
        m.routeHeader(SEQ, AF_INET, 32, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)
                .attrAddress(Rtnl.RTA_DST, "10.77.2.13").attrU32(Rtnl.RTA_OIF, 3)
                .attr(Rtnl.RTA_METRICS, new byte[] {8, 0, 2, 0, 1}).end();   // a nested attribute cut short
        m.done(SEQ);
        assertEquals(RtnlParser.DONE, parser.parse(m.datagram(), SEQ));
        assertEquals(List.of(new Route(of("10.77.2.11"), 32, 0, 3, 0, 1400), new Route(of("10.77.2.12"), 32, 0, 3, 0),
                new Route(of("10.77.2.13"), 32, 0, 3, 0)), parser.table().routes());
    }

    @Test
    void shouldSkipOtherTablesTypesFamiliesCachedAndMultipathRoutesWithoutCountingThem() {
        final NetlinkMessages m = new NetlinkMessages();
        m.routeHeader(SEQ, AF_INET, 32, NetlinkMessages.RT_TABLE_LOCAL, 2, 0)        // local
                .attrU32(Rtnl.RTA_TABLE, NetlinkMessages.RT_TABLE_LOCAL).attrAddress(Rtnl.RTA_DST, "10.77.1.2")
                .attrU32(Rtnl.RTA_OIF, 2).end();
        m.routeHeader(SEQ, AF_INET, 32, Rtnl.RT_TABLE_MAIN, NetlinkMessages.RTN_BROADCAST, 0)
                .attrAddress(Rtnl.RTA_DST, "10.77.1.255").attrU32(Rtnl.RTA_OIF, 2).end();
        m.routeHeader(SEQ, AF_INET, 24, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)   // policy table 10
                .attrU32(Rtnl.RTA_TABLE, 10).attrAddress(Rtnl.RTA_DST, "10.5.0.0").attrU32(Rtnl.RTA_OIF, 2).end();
        m.routeHeader(SEQ, AF_INET, 32, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, Rtnl.RTM_F_CLONED)
                .attrAddress(Rtnl.RTA_DST, "10.6.0.1").attrU32(Rtnl.RTA_OIF, 2).end();
        m.routeHeader(SEQ, AF_INET6, 0, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0).attrU32(Rtnl.RTA_OIF, 2).end();
        m.routeHeader(SEQ, AF_INET, 8, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)    // RTA_MULTIPATH, no RTA_OIF
                .attrAddress(Rtnl.RTA_DST, "10.0.0.0").attr(9, new byte[16]).end();
        m.begin(Rtnl.RTM_NEWADDR, 2, SEQ).u8(AF_INET6).u8(64).u8(0).u8(0).u32(2).attr(Rtnl.IFA_ADDRESS, new byte[16])
                .end();
        connectedRoute(m, SEQ);
        assertEquals(RtnlParser.MORE, parser.parse(m.datagram(), SEQ));
        assertEquals(List.of(new Route(of("10.77.1.0"), 24, 0, 2, 0)), parser.table().routes());
        assertEquals(List.of(), parser.table().addresses());
        assertEquals(0, parser.malformed());
    }

    @Test
    void shouldSkipLeftoversOfAnAbandonedDump() {
        final NetlinkMessages m = new NetlinkMessages().link(SEQ - 1, 9, UP_RUNNING, "old", MAC, 1500)
                .done(SEQ - 1).link(SEQ, 2, UP_RUNNING, "eth0", MAC, 1500);
        assertEquals(RtnlParser.MORE, parser.parse(m.datagram(), SEQ));
        assertEquals(List.of(new Link(2, "eth0", 0x001122334455L, 1500, true)), parser.table().links());
        assertEquals(RtnlParser.DONE, parser.parse(new NetlinkMessages().done(SEQ).datagram(), SEQ));
    }

    @Test
    void shouldReturnTheKernelsErrors() {
        final NetlinkMessages refused = new NetlinkMessages().begin(Rtnl.NLMSG_ERROR, 0, SEQ).u32(-1)
                .u32(20).u16(Rtnl.RTM_GETROUTE).u16(0x301).u32(SEQ).u32(0).end();
        assertEquals(-1, parser.parse(refused.datagram(), SEQ));
        final NetlinkMessages ack = new NetlinkMessages().begin(Rtnl.NLMSG_ERROR, 0, SEQ).u32(0).end();
        assertEquals(RtnlParser.MORE, parser.parse(ack.datagram(), SEQ));
        final NetlinkMessages failedDump = new NetlinkMessages().begin(Rtnl.NLMSG_DONE, 2, SEQ).u32(-12).end();
        assertEquals(-12, parser.parse(failedDump.datagram(), SEQ));
        final NetlinkMessages bareDone = new NetlinkMessages().begin(Rtnl.NLMSG_DONE, 2, SEQ).end();
        assertEquals(RtnlParser.DONE, parser.parse(bareDone.datagram(), SEQ));
        assertEquals(0, parser.malformed());
    }

    @Test
    void shouldNoteAnInterruptedDump() {
        final NetlinkMessages m = new NetlinkMessages().begin(Rtnl.NLMSG_DONE, 2 | Rtnl.NLM_F_DUMP_INTR, SEQ)
                .u32(0).end();
        assertEquals(RtnlParser.DONE, parser.parse(m.datagram(), SEQ));
        assertTrue(parser.interrupted());
        parser.reset();
        assertFalse(parser.interrupted());
    }

    @Test
    void shouldDropAndCountAMessageWithATruncatedAttributeAndReadTheNextOne() {
        final NetlinkMessages m = new NetlinkMessages();
        // The gateway attribute claims 8 bytes; the message ends after its header.
        m.routeHeader(SEQ, AF_INET, 0, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0).attrU32(Rtnl.RTA_OIF, 2)
                .attrHeader(Rtnl.RTA_GATEWAY, 8).end();
        connectedRoute(m, SEQ);
        assertEquals(RtnlParser.MORE, parser.parse(m.datagram(), SEQ));
        assertEquals(1, parser.malformed());
        assertEquals(List.of(new Route(of("10.77.1.0"), 24, 0, 2, 0)), parser.table().routes());
    }

    @Test
    void shouldDropAndCountAttributesShorterThanTheirHeader() {
        final NetlinkMessages m = new NetlinkMessages();
        m.begin(Rtnl.RTM_NEWLINK, 2, SEQ).u8(0).u8(0).u16(1).u32(2).u32(UP_RUNNING).u32(0)
                .attrHeader(Rtnl.IFLA_IFNAME, 0).u32(0).end();                        // would loop forever if read
        m.begin(Rtnl.RTM_NEWADDR, 2, SEQ).u8(AF_INET).u8(24).u8(0).u8(0).u32(2).attrHeader(Rtnl.IFA_LOCAL, 3)
                .end();
        assertEquals(RtnlParser.MORE, parser.parse(m.datagram(), SEQ));
        assertEquals(2, parser.malformed());
        assertEquals(RouteTable.EMPTY, parser.table());
    }

    @Test
    void shouldDropAndCountWrongSizesAndImpossibleValues() {
        final NetlinkMessages m = new NetlinkMessages();
        m.routeHeader(SEQ, AF_INET, 0, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)    // 2-byte gateway
                .attr(Rtnl.RTA_GATEWAY, new byte[2]).attrU32(Rtnl.RTA_OIF, 2).end();
        m.routeHeader(SEQ, AF_INET, 40, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)   // /40
                .attrAddress(Rtnl.RTA_DST, "10.0.0.0").attrU32(Rtnl.RTA_OIF, 2).end();
        m.routeHeader(SEQ, AF_INET, 24, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)   // prefix without RTA_DST
                .attrU32(Rtnl.RTA_OIF, 2).end();
        m.begin(Rtnl.RTM_NEWLINK, 2, SEQ).u8(0).u8(0).u16(1).u32(2).u32(UP_RUNNING).u32(0)
                .attrString(Rtnl.IFLA_IFNAME, "eth0").attr(Rtnl.IFLA_MTU, new byte[2]).end();
        m.begin(Rtnl.RTM_NEWLINK, 2, SEQ).u8(0).u8(0).u16(1).u32(2).u32(UP_RUNNING).u32(0).end();   // no name
        m.begin(Rtnl.RTM_NEWLINK, 2, SEQ).u8(0).u8(0).u16(1).u32(0).end();                       // short header
        m.begin(Rtnl.RTM_NEWADDR, 2, SEQ).u8(AF_INET).u8(24).u8(0).u8(0).u32(2).end();          // no address
        m.begin(Rtnl.RTM_NEWADDR, 2, SEQ).u8(AF_INET).u8(24).u8(0).u8(0).u32(0)                 // index 0
                .attrAddress(Rtnl.IFA_LOCAL, "10.0.0.1").end();
        m.begin(Rtnl.RTM_NEWROUTE, 2, SEQ).u32(0).end();                                         // short header
        assertEquals(RtnlParser.MORE, parser.parse(m.datagram(), SEQ));
        assertEquals(9, parser.malformed());
        assertEquals(RouteTable.EMPTY, parser.table());
    }

    @Test
    void shouldCountABogusMessageLengthAndStopReadingTheDatagram() {
        final NetlinkMessages tooLong = new NetlinkMessages().link(SEQ, 2, UP_RUNNING, "eth0", MAC, 1500)
                .begin(Rtnl.RTM_NEWLINK, 2, SEQ).u32(0).endWithLength(4000).done(SEQ);
        assertEquals(RtnlParser.MORE, parser.parse(tooLong.datagram(), SEQ));
        assertEquals(1, parser.malformed());
        assertEquals(1, parser.table().links().size());

        final NetlinkMessages tooShort = new NetlinkMessages().begin(Rtnl.RTM_NEWLINK, 2, SEQ).endWithLength(8)
                .done(SEQ);
        assertEquals(RtnlParser.MORE, parser.parse(tooShort.datagram(), SEQ));
        assertEquals(2, parser.malformed());

        final ByteBuffer headerCut = new NetlinkMessages().done(SEQ).datagram().limit(10);
        assertEquals(RtnlParser.MORE, parser.parse(headerCut, SEQ));
        assertEquals(3, parser.malformed());
    }

    @Test
    void shouldNeverThrowOnGarbage() {
        final ByteBuffer valid = validDump();
        final byte[] bytes = new byte[valid.limit()];
        final Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            valid.get(0, bytes);
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            final int length = random.nextInt(4) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
            final ByteBuffer mutated = ByteBuffer.wrap(bytes, 0, length).slice().order(ByteOrder.nativeOrder());
            parser.reset();
            parser.parse(mutated, SEQ);
            parser.table();
        }
        final byte[] noise = new byte[512];
        for (int round = 0; round < 5_000; round++) {
            random.nextBytes(noise);
            parser.parse(ByteBuffer.wrap(noise).order(ByteOrder.nativeOrder()), SEQ);
        }
    }

    @Test
    void shouldRefuseANetworkOrderBufferOnALittleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        assertThrows(IllegalArgumentException.class, () -> parser.parse(ByteBuffer.allocate(16), SEQ));
    }

    private static ByteBuffer validDump() {
        final NetlinkMessages m = new NetlinkMessages().link(SEQ, 2, UP_RUNNING, "eth0", MAC, 1500)
                .address(SEQ, 2, 24, "10.77.1.2");
        m.routeHeader(SEQ, AF_INET, 0, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0)
                .attrAddress(Rtnl.RTA_GATEWAY, "10.77.1.1").attrU32(Rtnl.RTA_OIF, 2).end();
        return connectedRoute(m, SEQ).done(SEQ).datagram();
    }
}
