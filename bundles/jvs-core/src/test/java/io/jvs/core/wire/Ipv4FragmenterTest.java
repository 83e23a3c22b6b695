package io.jvs.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ipv4FragmenterTest {
    private static final int IP = 14;

    /** An Ethernet frame with an IPv4 header of {@code options} bytes of options and {@code data} random bytes. */
    private static ByteBuffer packet(final byte[] options, final int data, final int fragmentField, final long seed) {
        final int ihl = 20 + options.length;
        final ByteBuffer b = ByteBuffer.allocate(IP + ihl + data);
        for (int i = 0; i < 12; i++) {
            b.put(i, (byte) (i + 1));
        }
        b.putShort(12, (short) 0x0800);
        b.put(IP, (byte) (0x40 | ihl / 4));
        b.putShort(IP + 2, (short) (ihl + data));
        b.putShort(IP + 4, (short) 0x1234);
        b.putShort(IP + 6, (short) fragmentField);
        b.put(IP + 8, (byte) 63);
        b.put(IP + 9, (byte) 17);
        b.putInt(IP + 12, 0x0A4D0102);
        b.putInt(IP + 16, 0x0A4D020B);
        b.put(IP + 20, options);
        final byte[] payload = new byte[data];
        new Random(seed).nextBytes(payload);
        b.put(IP + ihl, payload);
        b.putShort(IP + 10, (short) Checksums.checksum(b, IP, ihl));
        return b;
    }

    @Test
    void cutsAtMultiplesOfEightKeepingIdTtlAndAddressesAndTheFramesHeader() {
        final ByteBuffer p = packet(new byte[0], 3000, 0, 1);
        final int mtu = 1006;                                      // (1006 - 20) & ~7 = 984 bytes a fragment
        assertEquals(4, Ipv4Fragmenter.count(p, IP, mtu));
        final ByteBuffer out = ByteBuffer.allocate(2048);
        final ByteBuffer whole = ByteBuffer.allocate(3000);
        for (int i = 0; i < 4; i++) {
            final int len = Ipv4Fragmenter.write(p, 0, IP, mtu, i, out, 0);
            final int data = i < 3 ? 984 : 3000 - 3 * 984;
            assertEquals(IP + 20 + data, len);
            assertEquals(20 + data, out.getShort(IP + 2));
            assertEquals((i < 3 ? 0x2000 : 0) | i * 984 / 8, out.getShort(IP + 6) & 0xFFFF);
            assertEquals(0x1234, out.getShort(IP + 4));
            assertEquals(63, out.get(IP + 8));
            assertEquals(0x0A4D0102, out.getInt(IP + 12));
            assertEquals(0x0A4D020B, out.getInt(IP + 16));
            assertTrue(Checksums.verify(out, IP, 20), "fragment " + i);
            assertEquals(p.getLong(0) >>> 16, out.getLong(0) >>> 16, "MACs copied; the caller sets them");
            whole.put(i * 984, out, IP + 20, data);
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(p.array(), IP + 20, IP + 3020), whole.array());
    }

    @Test
    void aFragmentOfAFragmentKeepsMfAndAddsItsOffsetAndDfIsCleared() {
        // The middle piece of a larger datagram, at offset 800 bytes, with DF (fragmented with ignore_df).
        final ByteBuffer p = packet(new byte[0], 1000, 0x4000 | 0x2000 | 100, 2);
        final ByteBuffer out = ByteBuffer.allocate(2048);
        assertEquals(2, Ipv4Fragmenter.count(p, IP, 596));
        Ipv4Fragmenter.write(p, 0, IP, 596, 0, out, 0);
        assertEquals(0x2000 | 100, out.getShort(IP + 6) & 0xFFFF);
        Ipv4Fragmenter.write(p, 0, IP, 596, 1, out, 0);
        assertEquals(0x2000 | (100 + 576 / 8), out.getShort(IP + 6) & 0xFFFF, "still more to come");
    }

    @Test
    void optionsNotMarkedCopiedAreNopsAfterTheFirstFragment() {
        // Record route (7, not copied, 11 bytes), then a copied option (0x94 router alert, 4 bytes), NOP, END.
        final byte[] options = {7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x94, 4, 0, 0, 1, 0, 0, 0, 0};
        final ByteBuffer p = packet(options, 200, 0, 3);
        final ByteBuffer out = ByteBuffer.allocate(2048);
        final int mtu = 40 + 104;
        assertEquals(2, Ipv4Fragmenter.count(p, IP, mtu));
        Ipv4Fragmenter.write(p, 0, IP, mtu, 0, out, 0);
        assertEquals(0x45 + 5, out.get(IP) & 0xFF, "the header keeps its length");
        assertArrayEquals(options, java.util.Arrays.copyOfRange(out.array(), IP + 20, IP + 40), "first: all options");
        Ipv4Fragmenter.write(p, 0, IP, mtu, 1, out, 0);
        final byte[] expected = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, (byte) 0x94, 4, 0, 0, 1, 0, 0, 0, 0};
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(out.array(), IP + 40 - 20, IP + 40));
        assertTrue(Checksums.verify(out, IP, 40));
        assertEquals(40 + 200 - 104, out.getShort(IP + 2));
    }

    @Test
    void anMtuThatCannotHoldTheHeaderAndEightBytesGivesNoFragments() {
        final ByteBuffer p = packet(new byte[40], 100, 0, 4);
        assertEquals(0, Ipv4Fragmenter.count(p, IP, 64));
        assertEquals(1, Ipv4Fragmenter.count(packet(new byte[0], 100, 0, 5), IP, Ipv4Fragmenter.MIN_MTU + 100));
    }
}
