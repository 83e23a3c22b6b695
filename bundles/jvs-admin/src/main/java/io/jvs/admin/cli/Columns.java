package io.jvs.admin.cli;

/** printf-style padding without format strings: listings of many thousand lines stay cheap. */
final class Columns {
    private Columns() {
    }

    /** {@code %-Ns}. */
    static StringBuilder left(final StringBuilder b, final String s, final int width) {
        b.append(s);
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b;
    }

    /** {@code %-Nu} / {@code %-Nd}. */
    static StringBuilder left(final StringBuilder b, final long n, final int width) {
        return left(b, Long.toString(n), width);
    }

    /** {@code %Ns}. */
    static StringBuilder right(final StringBuilder b, final String s, final int width) {
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b.append(s);
    }

    /**
     * ipvsadm's {@code print_largenum}: exact values are at least 9 wide with a leading space; otherwise the value
     * in 9 columns below 10^8, else scaled to K (10^3), M (10^6), G (10^9) or T (10^12) in 8 columns plus the
     * unit. Counters are unsigned 64-bit values.
     */
    static StringBuilder largeNum(final StringBuilder b, final long n, final boolean exact) {
        final String digits = Long.toUnsignedString(n);
        if (exact) {
            return right(b, digits, digits.length() <= 8 ? 9 : digits.length() + 1);
        }
        if (Long.compareUnsigned(n, 100_000_000L) < 0) {
            return right(b, digits, 9);
        }
        final long divisor;
        final char unit;
        if (Long.compareUnsigned(n, 1_000_000_000L) < 0) {
            divisor = 1_000L;
            unit = 'K';
        } else if (Long.compareUnsigned(n, 100_000_000_000L) < 0) {
            divisor = 1_000_000L;
            unit = 'M';
        } else if (Long.compareUnsigned(n, 100_000_000_000_000L) < 0) {
            divisor = 1_000_000_000L;
            unit = 'G';
        } else {
            divisor = 1_000_000_000_000L;
            unit = 'T';
        }
        return right(b, Long.toUnsignedString(Long.divideUnsigned(n, divisor)), 8).append(unit);
    }
}
