package io.jvs.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Known answers for the checksum arithmetic. */
class ChecksumsTest {

    @Test
    void shouldMatchRfc1071Example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to 2ddf0, folded ddf2; the checksum is its complement.
        final ByteBuffer buf = Frames.buffer("0001f203f4f5f6f7");
        assertEquals(0xddf2, Checksums.sum(buf, 0, 8, 0));
        assertEquals(0x220d, Checksums.checksum(buf, 0, 8));
        assertEquals(0xddf2, Checksums.fold(0x2ddf0L));
    }

    @Test
    void shouldComputeKnownIpv4HeaderChecksum() {
        // A widely quoted sample header: 192.168.0.1 -> 192.168.0.199, UDP, checksum b861.
        final ByteBuffer buf = Frames.buffer("450000730000400040110000c0a80001c0a800c7");
        assertEquals(0xb861, Checksums.checksum(buf, 0, 20));
        final Ipv4Header ip = new Ipv4Header().wrap(buf, 0);
        ip.fillChecksum();
        assertEquals(0xb861, ip.checksum());
        assertTrue(ip.verifyChecksum());
    }

    @Test
    void shouldPadOddTailWithZeroAndHonourOffsetAndInitial() {
        final ByteBuffer buf = Frames.buffer("ee010203");
        assertEquals(0x0402, Checksums.sum(buf, 1, 3, 0));              // 0102 + 0300
        assertEquals(0x0403, Checksums.sum(buf, 1, 3, 1));
        assertEquals(0xffff, Checksums.sum(Frames.buffer("ffffffff"), 0, 4, 0));
        assertEquals(0, Checksums.sum(buf, 0, 0, 0));
    }

    @Test
    void shouldSumIdenticallyWhateverTheWordSize() {
        // 32-bit reads with 16/8-bit tails must equal a plain 16-bit loop for every length and alignment.
        final byte[] data = new byte[67];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 37 + 11);
        }
        final ByteBuffer buf = ByteBuffer.wrap(data);
        for (int offset = 0; offset < 4; offset++) {
            for (int length = 0; offset + length <= data.length; length++) {
                long plain = 0;
                for (int i = 0; i < length; i += 2) {
                    plain += ((data[offset + i] & 0xFF) << 8) | (i + 1 < length ? data[offset + i + 1] & 0xFF : 0);
                }
                assertEquals(Checksums.fold(plain), Checksums.sum(buf, offset, length, 0));
            }
        }
    }

    @Test
    void shouldFollowRfc1624Eqn3ExampleWhichRfc1141GetsWrong() {
        // RFC 1624 section 4: HC 0xdd2f, m 0x5555 -> 0x3285; the right answer is 0x0000, not 0xffff.
        assertEquals(0x0000, Checksums.replace16(0xdd2f, 0x5555, 0x3285));
    }

    @Test
    void shouldAgreeBetweenWordWidths() {
        final int check = 0x1234;
        final int old32 = 0xc000020a;
        final int new32 = 0x0a00000b;
        assertEquals(Checksums.replace16(Checksums.replace16(check, 0xc000, 0x0a00), 0x020a, 0x000b),
                Checksums.replace32(check, old32, new32));
        final long old64 = 0x20010db800000000L;
        final long new64 = 0xfd00000000000001L;
        assertEquals(Checksums.replace32(Checksums.replace32(check, 0x20010db8, 0xfd000000), 0, 1),
                Checksums.replace64(check, old64, new64));
        assertEquals(check, Checksums.replace32(check, old32, old32));
    }

    @Test
    void shouldBuildPseudoHeaderSumsLikeTheirWireForm() {
        final ByteBuffer v4 = Frames.buffer("c000020a" + "c6336401" + "0006" + "0028");
        assertEquals(Checksums.sum(v4, 0, 12, 0), Checksums.pseudoHeaderV4(0xc000020a, 0xc6336401, 6, 40));
        final ByteBuffer v6 = Frames.buffer(Frames.SYN_V6);
        final ByteBuffer wire = Frames.buffer(Frames.SYN_V6.substring(44, 108) + "00000028" + "00000006");
        assertEquals(Checksums.sum(wire, 0, 40, 0), Checksums.pseudoHeaderV6(v6, 14, IpProtocol.TCP, 40));
    }

    @Test
    void shouldSendComputedZeroUdpChecksumAsAllOnes() {
        final ByteBuffer buf = Frames.buffer(Frames.DNS_V4);
        final int payloadWord = 14 + 20 + 8;
        final int last = Checksums.compute(buf, 34, 37, Checksums.UDP_CHECKSUM_OFFSET,
                Checksums.pseudoHeaderV4(Frames.CLIENT_IP, Frames.VIP, IpProtocol.UDP, 37));
        // Adding the current checksum into the data makes the sum 0xffff, i.e. a computed checksum of 0.
        buf.putShort(payloadWord, (short) ((buf.getShort(payloadWord) & 0xFFFF) + last));
        if ((buf.getShort(payloadWord) & 0xFFFF) < last) {
            buf.putShort(payloadWord, (short) ((buf.getShort(payloadWord) & 0xFFFF) + 1)); // end-around carry
        }
        Checksums.fillV4(buf, 14, 34, 37);
        assertEquals(0xffff, buf.getShort(34 + 6) & 0xFFFF);
        assertTrue(Checksums.verifyV4(buf, 14, 34, 37));
        assertEquals(0, Checksums.compute(buf, 34, 37, 6,
                Checksums.pseudoHeaderV4(Frames.CLIENT_IP, Frames.VIP, IpProtocol.UDP, 37)));
    }

    @Test
    void shouldRejectZeroUdpChecksumOverIpv6Only() {
        final ByteBuffer v6 = Frames.buffer(Frames.UDP_V6);
        assertTrue(Checksums.verifyV6(v6, 14, 54, 20, IpProtocol.UDP));
        v6.putShort(54 + 6, (short) 0);
        assertFalse(Checksums.verifyV6(v6, 14, 54, 20, IpProtocol.UDP));
        final ByteBuffer v4 = Frames.buffer(Frames.DNS_V4);
        v4.putShort(34 + 6, (short) 0);
        assertTrue(Checksums.verifyV4(v4, 14, 34, 37));
    }

    @Test
    void shouldKnowWhereEachChecksumLives() {
        assertEquals(16, Checksums.checksumOffset(IpProtocol.TCP));
        assertEquals(6, Checksums.checksumOffset(IpProtocol.UDP));
        assertEquals(2, Checksums.checksumOffset(IpProtocol.ICMP));
        assertEquals(2, Checksums.checksumOffset(IpProtocol.ICMPV6));
        assertEquals(-1, Checksums.checksumOffset(132));
    }
}
