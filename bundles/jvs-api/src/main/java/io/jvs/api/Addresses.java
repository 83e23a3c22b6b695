package io.jvs.api;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Numeric address helpers shared by the model and its users. */
public final class Addresses {
    private Addresses() {
    }

    /** Unsigned byte-wise order; IPv4 sorts before IPv6. */
    public static int compare(final InetAddress a, final InetAddress b) {
        final byte[] x = a.getAddress();
        final byte[] y = b.getAddress();
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        for (int i = 0; i < x.length; i++) {
            final int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Numeric text of an address, without scope or host name: {@code 10.0.0.1} or {@code 2001:db8::1}. */
    public static String numeric(final InetAddress a) {
        if (a instanceof Inet6Address) {
            return compressV6(a.getAddress());
        }
        final byte[] b = a.getAddress();
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    /** {@code a.b.c.d:port} or {@code [v6]:port}, numeric. */
    public static String withPort(final InetAddress a, final int port) {
        return a instanceof Inet6Address ? "[" + numeric(a) + "]:" + port : numeric(a) + ":" + port;
    }

    /** RFC 5952 text (what inet_ntop prints): lower case, longest zero run of two or more compressed. */
    static String compressV6(final byte[] b) {
        final int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        // inet_ntop prints IPv4-mapped and IPv4-compatible addresses with a dotted tail.
        final boolean dottedTail = bestStart == 0 && (bestLen == 6 || bestLen == 5 && w[5] == 0xffff);
        final StringBuilder s = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                if (dottedTail) {
                    if (bestLen == 5) {
                        s.append("ffff:");
                    }
                    s.append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.')
                            .append(b[14] & 0xff).append('.').append(b[15] & 0xff);
                    return s.toString();
                }
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(w[i]));
        }
        return s.toString();
    }
}
