package io.jvs.core.route;

/** Text of the int and long forms of addresses, for logs and test failures only. */
final class Formats {
    private Formats() {
    }

    static String ipv4(final int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    static String mac(final long mac) {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) {
                text.append(':');
            }
            final int octet = (int) (mac >>> shift) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }

    /** Network mask of a prefix length; Java shifts by 32 as by 0, hence the case of /0. */
    static int mask(final int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }
}
