package io.jvs.admin.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The C library's text-to-number and text-to-address conversions ipvsadm relies on, with their exact
 * acceptance rules: {@code strtol}-based {@code string_to_number}, {@code atoi}, {@code inet_aton},
 * {@code inet_pton}. No name service is ever consulted here.
 */
final class InetText {
    private InetText() {
    }

    /** ipvsadm's {@code string_to_number}: the whole text a base-10 long within [min, max], else -1. */
    static long number(final String s, final long min, final long max) {
        int i = skipSpace(s, 0);
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        final int digits = i;
        long value = 0;
        boolean overflow = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
            if (value > (Long.MAX_VALUE - 9) / 10) {
                overflow = true;
            }
            value = value * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (i == digits || i != s.length() || overflow) {
            return -1;
        }
        final long v = negative ? -value : value;
        return v >= min && v <= max ? v : -1;
    }

    /** C {@code atoi}: leading digits after optional space and sign; 0 when there are none. */
    static long atoi(final String s) {
        int i = skipSpace(s, 0);
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        while (i < s.length() && isDigit(s.charAt(i)) && value < Integer.MAX_VALUE) {
            value = value * 10 + (s.charAt(i) - '0');
            i++;
        }
        return negative ? -value : value;
    }

    /** {@code inet_aton}: 1 to 4 parts, each decimal, 0octal or 0xhex; text after whitespace is ignored. */
    static InetAddress aton(final String s) {
        final long[] parts = new long[4];
        int n = 0;
        int i = 0;
        while (true) {
            if (i >= s.length() || !isDigit(s.charAt(i))) {
                return null;
            }
            int base = 10;
            if (s.charAt(i) == '0') {
                base = 8;
                i++;
                if (i < s.length() && (s.charAt(i) == 'x' || s.charAt(i) == 'X')) {
                    base = 16;
                    i++;
                }
            }
            long v = 0;
            while (i < s.length() && Character.digit(s.charAt(i), base) >= 0 && isAsciiAlnum(s.charAt(i))) {
                v = v * base + Character.digit(s.charAt(i), base);
                if (v > 0xffffffffL) {
                    return null;
                }
                i++;
            }
            if (i < s.length() && isAsciiAlnum(s.charAt(i))) {
                return null;
            }
            if (n == 4) {
                return null;
            }
            parts[n++] = v;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                continue;
            }
            break;
        }
        if (i < s.length() && !isSpace(s.charAt(i))) {
            return null;
        }
        long value;
        switch (n) {
            case 1 -> value = parts[0];
            case 2 -> {
                if (parts[0] > 0xff || parts[1] > 0xffffff) {
                    return null;
                }
                value = parts[0] << 24 | parts[1];
            }
            case 3 -> {
                if (parts[0] > 0xff || parts[1] > 0xff || parts[2] > 0xffff) {
                    return null;
                }
                value = parts[0] << 24 | parts[1] << 16 | parts[2];
            }
            default -> {
                if (parts[0] > 0xff || parts[1] > 0xff || parts[2] > 0xff || parts[3] > 0xff) {
                    return null;
                }
                value = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3];
            }
        }
        return v4((int) value);
    }

    /** {@code inet_pton(AF_INET)}: exactly four decimal octets without leading zeros. */
    static InetAddress pton4(final String s) {
        final byte[] b = parseDottedQuad(s);
        return b == null ? null : v4(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
    }

    /** {@code inet_pton(AF_INET6)}; an IPv4-mapped address stays an {@link Inet6Address}. */
    static Inet6Address pton6(final String s) {
        final byte[] out = new byte[16];
        int o = 0;
        int gap = -1;
        int i = 0;
        final int len = s.length();
        if (len == 0) {
            return null;
        }
        if (s.charAt(0) == ':') {
            if (len < 2 || s.charAt(1) != ':') {
                return null;
            }
            i = 1;
        }
        int groupStart = i;
        int value = 0;
        int digits = 0;
        while (i < len) {
            final char c = s.charAt(i);
            final int d = Character.digit(c, 16);
            if (d >= 0 && c < 128) {
                if (++digits > 4) {
                    return null;
                }
                value = value << 4 | d;
                i++;
                continue;
            }
            if (c == ':') {
                if (digits == 0) {
                    if (gap >= 0) {
                        return null;
                    }
                    gap = o;
                } else {
                    if (i + 1 == len || o + 2 > 16) {
                        return null;
                    }
                    out[o++] = (byte) (value >> 8);
                    out[o++] = (byte) value;
                }
                value = 0;
                digits = 0;
                i++;
                groupStart = i;
                continue;
            }
            if (c == '.' && o + 4 <= 16) {
                final byte[] q = parseDottedQuad(s.substring(groupStart));
                if (q == null) {
                    return null;
                }
                System.arraycopy(q, 0, out, o, 4);
                o += 4;
                digits = 0;
                i = len;
                break;
            }
            return null;
        }
        if (digits > 0) {
            if (o + 2 > 16) {
                return null;
            }
            out[o++] = (byte) (value >> 8);
            out[o++] = (byte) value;
        }
        if (gap >= 0) {
            if (o == 16) {
                return null;
            }
            final int tail = o - gap;
            System.arraycopy(out, gap, out, 16 - tail, tail);
            java.util.Arrays.fill(out, gap, 16 - tail, (byte) 0);
        } else if (o != 16) {
            return null;
        }
        try {
            return Inet6Address.getByAddress(null, out, -1);
        } catch (final UnknownHostException e) {
            return null;
        }
    }

    /** An IPv4 address from its host-order value. */
    static InetAddress v4(final int value) {
        try {
            return InetAddress.getByAddress(new byte[] {
                (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        } catch (final UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Host-order value of an IPv4 address. */
    static int v4Value(final InetAddress a) {
        final byte[] b = a.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static byte[] parseDottedQuad(final String s) {
        final byte[] out = new byte[4];
        int n = 0;
        int i = 0;
        while (n < 4) {
            final int start = i;
            int v = 0;
            while (i < s.length() && isDigit(s.charAt(i)) && i - start < 4) {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            final int digits = i - start;
            if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[n++] = (byte) v;
            if (n < 4) {
                if (i >= s.length() || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == s.length() ? out : null;
    }

    private static int skipSpace(final String s, final int from) {
        int i = from;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(final char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiAlnum(final char c) {
        return c < 128 && Character.isLetterOrDigit(c);
    }
}
