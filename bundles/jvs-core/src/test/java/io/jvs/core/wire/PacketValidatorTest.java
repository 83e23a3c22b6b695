package io.jvs.core.wire;

import static io.jvs.core.wire.PacketValidator.BAD_IHL;
import static io.jvs.core.wire.PacketValidator.BAD_IP_CHECKSUM;
import static io.jvs.core.wire.PacketValidator.BAD_IP_VERSION;
import static io.jvs.core.wire.PacketValidator.BAD_L4_CHECKSUM;
import static io.jvs.core.wire.PacketValidator.BAD_L4_HEADER;
import static io.jvs.core.wire.PacketValidator.BAD_TOTAL_LENGTH;
import static io.jvs.core.wire.PacketValidator.FRAGMENT;
import static io.jvs.core.wire.PacketValidator.OK;
import static io.jvs.core.wire.PacketValidator.TRUNCATED_L2;
import static io.jvs.core.wire.PacketValidator.TRUNCATED_L3;
import static io.jvs.core.wire.PacketValidator.TRUNCATED_L4;
import static io.jvs.core.wire.PacketValidator.UNSUPPORTED_ETHERTYPE;
import static io.jvs.core.wire.PacketValidator.UNSUPPORTED_PROTOCOL;
import static io.jvs.core.wire.PacketValidator.VERDICTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every malformed class maps to its verdict, and nothing a frame holds can make the validator throw. */
class PacketValidatorTest {
    private static final int IP = 14;
    private final PacketValidator validator = new PacketValidator(true);

    private int verdict(final ByteBuffer buf) {
        return validator.validate(buf, 0, buf.limit());
    }

    private int verdict(final String hex) {
        return verdict(Frames.buffer(hex));
    }

    /** The frame with one byte replaced and, if asked, the IPv4 header checksum made valid again. */
    private static ByteBuffer patched(final String hex, final int index, final int value, final boolean fixIp) {
        final ByteBuffer buf = Frames.buffer(hex);
        buf.put(index, (byte) value);
        if (fixIp) {
            new Ipv4Header().wrap(buf, IP).fillChecksum();
        }
        return buf;
    }

    private static ByteBuffer withTotalLength(final String hex, final int totalLength) {
        final ByteBuffer buf = Frames.buffer(hex);
        buf.putShort(IP + 2, (short) totalLength);
        new Ipv4Header().wrap(buf, IP).fillChecksum();
        return buf;
    }

    @Test
    void shouldClassifyEveryTruncationOfSynByLayer() {
        final ByteBuffer syn = Frames.buffer(Frames.SYN_V4);
        for (int length = 0; length <= 74; length++) {
            final int expected = length < 14 ? TRUNCATED_L2 : length < 34 ? TRUNCATED_L3
                    : length < 74 ? BAD_TOTAL_LENGTH : OK;       // cut inside the datagram: total length > frame
            assertEquals(expected, validator.validate(syn, 0, length), "length " + length);
        }
    }

    @Test
    void shouldRejectTruncatedL2() {
        assertEquals(TRUNCATED_L2, verdict(Frames.ACK_VLAN.substring(0, 32)));             // tag, no inner type
        final String threeTags = Frames.ACK_VLAN.substring(0, 24) + "88a8000188a80002" + Frames.ACK_VLAN.substring(24);
        assertEquals(TRUNCATED_L2, verdict(threeTags));
        assertEquals(TRUNCATED_L2, validator.validate(Frames.buffer(Frames.SYN_V4), -1, 74));
        assertEquals(TRUNCATED_L2, validator.validate(Frames.buffer(Frames.SYN_V4), 70, 74));
        assertEquals(TRUNCATED_L2, validator.validate(Frames.buffer(Frames.SYN_V4), 0, -5));
    }

    @Test
    void shouldRejectUnsupportedEthertype() {
        assertEquals(UNSUPPORTED_ETHERTYPE, verdict(Frames.buffer(Frames.SYN_V4).putShort(12, (short) 0x88cc)));   // LLDP
        assertEquals(UNSUPPORTED_ETHERTYPE, verdict(Frames.buffer(Frames.ACK_VLAN).putShort(16, (short) 0x8847)));   // MPLS in a VLAN
    }

    @Test
    void shouldRejectTruncatedL3() {
        assertEquals(TRUNCATED_L3, verdict(Frames.SYN_V6.substring(0, 2 * (14 + 39))));
        assertEquals(TRUNCATED_L3, verdict(Frames.ARP_REQUEST.substring(0, 2 * (14 + 27))));
        // IHL 6 claims 4 bytes of options, but the frame ends right after the fixed header.
        final ByteBuffer options = patched(Frames.SYN_V4, IP, 0x46, false);
        assertEquals(TRUNCATED_L3, validator.validate(options, 0, 34 + 2));
        // Hop-by-hop header claiming (2 + 1) * 8 = 24 bytes of a 20-byte payload.
        assertEquals(TRUNCATED_L3, verdict(patched(Frames.HBH_UDP_V6, 55, 2, false)));
    }

    @Test
    void shouldRejectWrongIpVersion() {
        assertEquals(BAD_IP_VERSION, verdict(patched(Frames.SYN_V4, IP, 0x65, true)));
        assertEquals(BAD_IP_VERSION, verdict(patched(Frames.SYN_V6, IP, 0x45, false)));
    }

    @Test
    void shouldRejectIhlBelowFive() {
        for (int ihl = 0; ihl < 5; ihl++) {
            assertEquals(BAD_IHL, verdict(patched(Frames.SYN_V4, IP, 0x40 | ihl, false)), "ihl " + ihl);
        }
    }

    @Test
    void shouldRejectInconsistentTotalLength() {
        assertEquals(BAD_TOTAL_LENGTH, verdict(withTotalLength(Frames.SYN_V4, 61)));         // past the frame
        assertEquals(BAD_TOTAL_LENGTH, verdict(withTotalLength(Frames.SYN_V4, 19)));         // inside the header
        final ByteBuffer v6 = Frames.buffer(Frames.SYN_V6);
        v6.putShort(IP + 4, (short) 41);
        assertEquals(BAD_TOTAL_LENGTH, verdict(v6));
    }

    @Test
    void shouldRejectBadHeaderChecksum() {
        assertEquals(BAD_IP_CHECKSUM, verdict(patched(Frames.SYN_V4, IP + 8, 0x3f, false)));  // TTL changed only
        assertEquals(BAD_IP_CHECKSUM, verdict(patched(Frames.SYN_V4, IP + 11, 0x38, false)));
    }

    @Test
    void shouldRejectFragments() {
        assertEquals(FRAGMENT, verdict(patched(Frames.DNS_V4, IP + 6, 0x20, true)));          // MF, offset 0
        assertEquals(FRAGMENT, verdict(patched(Frames.DNS_V4, IP + 7, 0xb9, true)));          // last, offset 185
        final ByteBuffer v6 = patched(Frames.HBH_UDP_V6, 54, IpProtocol.FRAGMENT, false);
        assertEquals(FRAGMENT, verdict(v6));
        assertEquals(OK, verdict(Frames.SYN_V4));                                             // DF is no fragment
    }

    @Test
    void shouldRejectUnsupportedProtocols() {
        assertEquals(UNSUPPORTED_PROTOCOL, verdict(patched(Frames.SYN_V4, IP + 9, 132, true)));   // SCTP
        assertEquals(UNSUPPORTED_PROTOCOL, verdict(patched(Frames.PING_V4, IP + 9, 58, true)));   // ICMPv6 in v4
        assertEquals(UNSUPPORTED_PROTOCOL, verdict(patched(Frames.PING_V6, IP + 6, 1, false)));   // ICMPv4 in v6
        assertEquals(UNSUPPORTED_PROTOCOL, verdict(patched(Frames.SYN_V6, IP + 6, 50, false)));   // ESP
        assertEquals(UNSUPPORTED_PROTOCOL, verdict(patched(Frames.ARP_REQUEST, IP + 1, 6, false))); // IEEE 802 hw
        // Five hop-by-hop-style headers in a row exceed the walk's bound.
        final String chain = "00000000000000000000000000000000000000000000000000000000000000000000000000000000";
        final ByteBuffer v6 = Frames.buffer(Frames.SYN_V6.substring(0, 108) + chain + Frames.SYN_V6.substring(108));
        v6.putShort(IP + 4, (short) (40 + 40)).put(IP + 6, (byte) 0);
        assertEquals(UNSUPPORTED_PROTOCOL, verdict(v6));
    }

    @Test
    void shouldRejectDatagramsTooShortForL4() {
        assertEquals(TRUNCATED_L4, verdict(withTotalLength(Frames.SYN_V4, 20 + 19)));        // TCP fixed part
        assertEquals(TRUNCATED_L4, verdict(withTotalLength(Frames.SYN_V4, 20 + 36)));        // TCP options
        assertEquals(TRUNCATED_L4, verdict(withTotalLength(Frames.DNS_V4, 20 + 7)));
        assertEquals(TRUNCATED_L4, verdict(withTotalLength(Frames.DNS_V4, 20 + 36)));        // UDP length 37 > 36
        assertEquals(TRUNCATED_L4, verdict(withTotalLength(Frames.PING_V4, 20 + 7)));
        final ByteBuffer v6 = Frames.buffer(Frames.PING_V6);
        v6.putShort(IP + 4, (short) 7);
        assertEquals(TRUNCATED_L4, verdict(v6));
    }

    @Test
    void shouldRejectMalformedL4Headers() {
        assertEquals(BAD_L4_HEADER, verdict(patched(Frames.SYN_V4, 34 + 12, 0x40, false)));   // data offset 4
        final ByteBuffer udp = Frames.buffer(Frames.DNS_V4);
        udp.putShort(34 + 4, (short) 7);
        assertEquals(BAD_L4_HEADER, verdict(udp));
    }

    @Test
    void shouldRejectBadL4ChecksumsUnlessOffloaded() {
        final String[] golden = {Frames.SYN_V4, Frames.DNS_V4, Frames.PING_V4, Frames.SYN_V6, Frames.UDP_V6,
            Frames.PING_V6, Frames.HBH_UDP_V6, Frames.ACK_VLAN};
        final PacketValidator offloaded = new PacketValidator(false);
        for (final String hex : golden) {
            final ByteBuffer buf = Frames.buffer(hex);
            assertEquals(OK, verdict(buf));
            final int last = validator.l4Offset() + validator.l4Length() - 1;
            buf.put(last, (byte) (buf.get(last) ^ 0x01));
            assertEquals(BAD_L4_CHECKSUM, verdict(buf), hex);
            assertEquals(OK, offloaded.validate(buf, 0, buf.limit()), hex);
        }
        final ByteBuffer noChecksumV6 = Frames.buffer(Frames.UDP_V6).putShort(54 + 6, (short) 0);
        assertEquals(BAD_L4_CHECKSUM, verdict(noChecksumV6));                             // mandatory over IPv6
        assertEquals(BAD_L4_CHECKSUM, offloaded.validate(noChecksumV6, 0, noChecksumV6.limit()));
    }

    @Test
    void shouldParseFrameInsideLargerRingSlotAndClampLength() {
        final byte[] frame = Frames.bytes(Frames.SYN_V4);
        final ByteBuffer ring = ByteBuffer.allocateDirect(4096);
        ring.put(2048, frame);
        assertEquals(OK, validator.validate(ring, 2048, frame.length));
        assertEquals(2048 + 34, validator.l4Offset());
        final ByteBuffer exact = Frames.buffer(Frames.SYN_V4);
        assertEquals(OK, validator.validate(exact, 0, 10_000));                           // cut to the limit
        assertEquals(OK, validator.validate(exact, 0, Integer.MAX_VALUE));                   // no int overflow
    }

    @Test
    void shouldNeverThrowOnAnyTruncationCorruptionOrGarbage() {
        final String[] golden = {Frames.SYN_V4, Frames.SYNACK_V4, Frames.DNS_V4, Frames.PING_V4, Frames.ARP_REQUEST,
            Frames.ACK_VLAN, Frames.UDP_NO_CHECKSUM_V4, Frames.SYN_V6, Frames.UDP_V6, Frames.PING_V6, Frames.HBH_UDP_V6};
        final Random random = new Random(7);
        for (final String hex : golden) {
            final ByteBuffer buf = Frames.buffer(hex);
            for (int length = 0; length <= buf.limit(); length++) {
                assertInRange(validator.validate(buf, 0, length));
            }
            for (int i = 0; i < 20_000; i++) {                    // one random byte anywhere, any length
                final ByteBuffer copy = Frames.buffer(hex);
                copy.put(random.nextInt(copy.limit()), (byte) random.nextInt());
                assertInRange(validator.validate(copy, 0, random.nextInt(copy.limit() + 1)));
            }
        }
        final ByteBuffer garbage = ByteBuffer.allocate(128);
        for (int i = 0; i < 100_000; i++) {
            for (int j = 0; j < 128; j++) {
                garbage.put(j, (byte) random.nextInt());
            }
            garbage.putShort(12, (short) (random.nextBoolean() ? 0x0800 : 0x86dd));
            assertInRange(validator.validate(garbage, 0, random.nextInt(129)));
        }
    }

    @Test
    void shouldNameEveryVerdictOnce() {
        final Set<String> names = new HashSet<>();
        for (int v = 0; v < VERDICTS; v++) {
            assertTrue(names.add(PacketValidator.name(v)));
        }
        assertEquals("BAD_L4_CHECKSUM", PacketValidator.name(BAD_L4_CHECKSUM));
        assertEquals("UNKNOWN", PacketValidator.name(VERDICTS));
        assertEquals("UNKNOWN", PacketValidator.name(-1));
    }

    private static void assertInRange(final int verdict) {
        assertTrue(verdict >= 0 && verdict < VERDICTS, "verdict " + verdict);
    }
}
