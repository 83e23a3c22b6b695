package io.jvs.core.wire;

import static io.jvs.core.wire.Frames.CLIENT6_LO;
import static io.jvs.core.wire.Frames.CLIENT_IP;
import static io.jvs.core.wire.Frames.CLIENT_MAC;
import static io.jvs.core.wire.Frames.LB_MAC;
import static io.jvs.core.wire.Frames.V6_HI;
import static io.jvs.core.wire.Frames.VIP;
import static io.jvs.core.wire.Frames.VIP6_LO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Field accessors and checksum arithmetic against hand-written captured-style frames (see {@link Frames}). */
class GoldenPacketTest {
    private final PacketValidator validator = new PacketValidator(true);

    private ByteBuffer parsed(final String hex, final int frameLength) {
        final ByteBuffer buf = Frames.buffer(hex);
        assertEquals(frameLength, buf.limit(), "golden frame length");
        assertEquals(PacketValidator.OK, validator.validate(buf, 0, buf.limit()));
        return buf;
    }

    /** Zeroes then recomputes every checksum in place; the frame must come back byte for byte. */
    private void assertRecomputesToGolden(final ByteBuffer buf, final boolean v4) {
        final byte[] golden = Frames.array(buf);
        final int ip = validator.l3Offset();
        final int l4 = validator.l4Offset();
        final int protocol = validator.protocol();
        buf.putShort(l4 + Checksums.checksumOffset(protocol), (short) 0);
        if (v4) {
            validator.ipv4().fillChecksum();
            Checksums.fillV4(buf, ip, l4, validator.l4Length());
        } else {
            Checksums.fillV6(buf, ip, l4, validator.l4Length(), protocol);
        }
        assertArrayEquals(golden, Frames.array(buf));
    }

    @Test
    void shouldReadEveryFieldOfLinuxSyn() {
        final ByteBuffer buf = parsed(Frames.SYN_V4, 74);
        final EthernetHeader eth = validator.ethernet();
        assertEquals(LB_MAC, eth.dstMac());
        assertEquals(CLIENT_MAC, eth.srcMac());
        assertFalse(eth.isTagged());
        assertEquals(-1, eth.vlanId());
        final Ipv4Header ip = validator.ipv4();
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(60, ip.totalLength());
        assertEquals(0x1c46, ip.id());
        assertTrue(ip.dontFragment());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(IpProtocol.TCP, ip.protocol());
        assertEquals(0x3237, ip.checksum());
        assertEquals(CLIENT_IP, ip.src());
        assertEquals(VIP, ip.dst());
        assertTrue(ip.verifyChecksum());
        final TcpHeader tcp = validator.tcp();
        assertEquals(34, tcp.offset());
        assertEquals(50000, tcp.srcPort());
        assertEquals(80, tcp.dstPort());
        assertEquals(0x5fa1d2e0, tcp.seq());
        assertEquals(0, tcp.ack());
        assertEquals(40, tcp.headerLength());
        assertTrue(tcp.isSyn());
        assertFalse(tcp.isAck() || tcp.isFin() || tcp.isRst() || tcp.isPsh());
        assertEquals(64240, tcp.window());
        assertEquals(0x2df5, tcp.checksum());
        assertEquals(1460, tcp.mss());
        assertEquals(54 + 6, tcp.findOption(TcpHeader.OPT_TIMESTAMP));
        assertEquals(54 + 17, tcp.findOption(TcpHeader.OPT_WSCALE));
        assertRecomputesToGolden(buf, true);
    }

    @Test
    void shouldWalkOptionsInWireOrder() {
        parsed(Frames.SYN_V4, 74);
        final TcpHeader tcp = validator.tcp();
        final int[] expectedKinds = {TcpHeader.OPT_MSS, TcpHeader.OPT_SACK_PERMITTED, TcpHeader.OPT_TIMESTAMP,
            TcpHeader.OPT_NOP, TcpHeader.OPT_WSCALE};
        final int[] expectedLengths = {4, 2, 10, 1, 3};
        int i = 0;
        for (int at = tcp.firstOption(); at >= 0; at = tcp.nextOption(at), i++) {
            assertEquals(expectedKinds[i], tcp.optionKind(at));
            assertEquals(expectedLengths[i], tcp.optionLength(at));
        }
        assertEquals(5, i);
        assertEquals(-1, tcp.findOption(TcpHeader.OPT_SACK_PERMITTED + 1));
    }

    @Test
    void shouldIgnoreEthernetPaddingOfSynAck() {
        final ByteBuffer buf = parsed(Frames.SYNACK_V4, 60);
        assertEquals(44, validator.ipv4().totalLength());
        assertEquals(24, validator.l4Length());          // not 26: the padding is outside the datagram
        final TcpHeader tcp = validator.tcp();
        assertTrue(tcp.isSyn() && tcp.isAck());
        assertEquals(0x5fa1d2e1, tcp.ack());
        assertEquals(1460, tcp.mss());
        assertRecomputesToGolden(buf, true);
    }

    @Test
    void shouldReadUdpDnsQuery() {
        final ByteBuffer buf = parsed(Frames.DNS_V4, 71);
        assertFalse(validator.ipv4().isFragment());
        final UdpHeader udp = validator.udp();
        assertEquals(54321, udp.srcPort());
        assertEquals(53, udp.dstPort());
        assertEquals(37, udp.length());
        assertEquals(0xc3c2, udp.checksum());
        assertRecomputesToGolden(buf, true);
    }

    @Test
    void shouldAcceptUdpWithoutChecksumOverIpv4() {
        final ByteBuffer buf = parsed(Frames.UDP_NO_CHECKSUM_V4, 60);
        assertFalse(validator.udp().hasChecksum());
        assertEquals(16, validator.l4Length());
        assertTrue(Checksums.verifyV4(buf, 14, 34, 16));
    }

    @Test
    void shouldReadIcmpEchoAndTurnItIntoTheReply() {
        final ByteBuffer buf = parsed(Frames.PING_V4, 74);
        final IcmpHeader icmp = validator.icmp();
        assertEquals(IcmpHeader.ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x1f42, icmp.echoId());
        assertEquals(1, icmp.echoSeq());
        assertFalse(icmp.isErrorV4());
        assertEquals(42, icmp.embeddedOffset());
        assertRecomputesToGolden(buf, true);
        icmp.echoToReply();
        assertEquals(IcmpHeader.ECHO_REPLY, icmp.type());
        assertEquals(0xeeba, icmp.checksum());           // independent full computation of the reply
        assertTrue(Checksums.verifyV4(buf, 14, 34, 40));
    }

    @Test
    void shouldAnswerArpRequestInPlace() {
        final ByteBuffer buf = parsed(Frames.ARP_REQUEST, 60);
        assertEquals(EthernetHeader.TYPE_ARP, validator.etherType());
        assertEquals(-1, validator.protocol());
        final ArpPacket arp = validator.arp();
        assertTrue(arp.isEthernetIpv4());
        assertEquals(ArpPacket.OP_REQUEST, arp.op());
        assertEquals(CLIENT_MAC, arp.senderMac());
        assertEquals(CLIENT_IP, arp.senderIp());
        assertEquals(0L, arp.targetMac());
        assertEquals(VIP, arp.targetIp());
        assertFalse(arp.isGratuitous());
        arp.toReply(LB_MAC);
        validator.ethernet().swapMacs();
        validator.ethernet().setSrcMac(LB_MAC);
        assertArrayEquals(Frames.bytes(Frames.ARP_REPLY), Frames.array(buf));
    }

    @Test
    void shouldFindL3BehindVlanTag() {
        final ByteBuffer buf = parsed(Frames.ACK_VLAN, 60);
        final EthernetHeader eth = validator.ethernet();
        assertTrue(eth.isTagged());
        assertEquals(EthernetHeader.TYPE_VLAN, eth.etherType());
        assertEquals(100, eth.vlanId());
        assertEquals(18, validator.l3Offset());
        assertEquals(EthernetHeader.TYPE_IPV4, validator.etherType());
        assertEquals(38, validator.l4Offset());
        assertTrue(validator.tcp().isAck());
        assertRecomputesToGolden(buf, true);
    }

    @Test
    void shouldFindL3BehindQinQTags() {
        // Same ACK, with an 802.1ad service tag (VID 7) in front of the 802.1Q tag.
        final String qinq = Frames.ACK_VLAN.substring(0, 24) + "88a8" + "0007" + Frames.ACK_VLAN.substring(24, 116);
        final ByteBuffer buf = parsed(qinq, 62);
        assertEquals(7, validator.ethernet().vlanId());
        assertEquals(22, validator.l3Offset());
        assertEquals(VIP, validator.ipv4().dst());
        assertEquals(42, validator.l4Offset());
        assertEquals(EthernetHeader.TYPE_QINQ, validator.ethernet().etherType());
        assertEquals(0x88a8, buf.getShort(12) & 0xFFFF);
    }

    @Test
    void shouldReadIpv6Syn() {
        final ByteBuffer buf = parsed(Frames.SYN_V6, 94);
        final Ipv6Header ip = validator.ipv6();
        assertEquals(6, ip.version());
        assertEquals(0, ip.trafficClass());
        assertEquals(0, ip.flowLabel());
        assertEquals(40, ip.payloadLength());
        assertEquals(IpProtocol.TCP, ip.nextHeader());
        assertEquals(64, ip.hopLimit());
        assertEquals(V6_HI, ip.srcHi());
        assertEquals(CLIENT6_LO, ip.srcLo());
        assertEquals(V6_HI, ip.dstHi());
        assertEquals(VIP6_LO, ip.dstLo());
        assertEquals(Checksums.pseudoHeaderV6(V6_HI, CLIENT6_LO, V6_HI, VIP6_LO, IpProtocol.TCP, 40),
                ip.pseudoHeaderSum(IpProtocol.TCP, 40));
        final TcpHeader tcp = validator.tcp();
        assertEquals(54, tcp.offset());
        assertTrue(tcp.isSyn());
        assertEquals(1440, tcp.mss());
        assertEquals(0xf315, tcp.checksum());
        assertRecomputesToGolden(buf, false);
    }

    @Test
    void shouldReadIpv6Udp() {
        final ByteBuffer buf = parsed(Frames.UDP_V6, 74);
        assertEquals(IpProtocol.UDP, validator.protocol());
        assertEquals(20, validator.udp().length());
        assertEquals(0x8f90, validator.udp().checksum());
        assertRecomputesToGolden(buf, false);
    }

    @Test
    void shouldReadIcmpv6Echo() {
        final ByteBuffer buf = parsed(Frames.PING_V6, 70);
        final IcmpHeader icmp = validator.icmp();
        assertEquals(IcmpHeader.V6_ECHO_REQUEST, icmp.type());
        assertEquals(0x0a0b, icmp.echoId());
        assertFalse(icmp.isErrorV6());
        assertRecomputesToGolden(buf, false);
        icmp.echoToReply();
        assertEquals(IcmpHeader.V6_ECHO_REPLY, icmp.type());
        assertTrue(Checksums.verifyV6(buf, 14, 54, 16, IpProtocol.ICMPV6));
    }

    @Test
    void shouldSkipHopByHopHeaderToReachUdp() {
        final ByteBuffer buf = parsed(Frames.HBH_UDP_V6, 74);
        assertEquals(IpProtocol.HOPOPTS, validator.ipv6().nextHeader());
        assertEquals(IpProtocol.UDP, validator.protocol());
        assertEquals(62, validator.l4Offset());
        assertEquals(12, validator.l4Length());           // upper-layer length: payload minus the extension
        assertEquals(0xcbe5, validator.udp().checksum());
        assertRecomputesToGolden(buf, false);
    }

    @Test
    void shouldBoundsCheckIpv4HeaderAndStoreUdpChecksumRules() {
        final ByteBuffer buf = Frames.buffer(Frames.SYN_V4);
        final Ipv4Header ip = new Ipv4Header().wrap(buf, 14);
        assertTrue(ip.fits(60));
        assertFalse(ip.fits(19));                                  // not even the fixed header
        buf.put(14, (byte) 0x4f);                                  // IHL 15: 60 bytes of header
        assertTrue(ip.fits(60));
        assertFalse(ip.fits(59));
        buf.put(14, (byte) 0x44);                                  // IHL 4
        assertFalse(ip.fits(60));
        final UdpHeader udp = new UdpHeader().wrap(Frames.buffer(Frames.DNS_V4), 34);
        udp.setComputedChecksum(0);
        assertEquals(0xffff, udp.checksum());
        udp.setComputedChecksum(0x1234);
        assertEquals(0x1234, udp.checksum());
        udp.clearChecksum();
        assertFalse(udp.hasChecksum());
    }

    @Test
    void shouldRefuseLittleEndianBuffersAtWrap() {
        final ByteBuffer little = Frames.buffer(Frames.SYN_V4).order(ByteOrder.LITTLE_ENDIAN);
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header().wrap(little, 14));
    }
}
