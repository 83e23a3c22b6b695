package io.jvs.admin.cli;

import io.jvs.api.ConnectionEntry;

import java.util.List;

/**
 * {@code ipvsadm -Lc}: the connection table, expiry as minutes:seconds. With {@code --persistent-conn} the
 * header gains the persistence-engine columns; rows only carry them for entries of a persistence engine, which
 * JVS does not have.
 */
final class ConnectionListing {
    private ConnectionListing() {
    }

    static void list(final StringBuilder b, final List<ConnectionEntry> entries, final NameResolver resolver,
                      final int format) {
        final Names names = new Names(resolver, Format.has(format, Format.NUMERIC));
        b.append("IPVS connection entries\n");
        b.append("pro expire ");
        Columns.left(b, "state", 11).append(' ');
        Columns.left(b, "source", 18).append(' ');
        Columns.left(b, "virtual", 18).append(' ');
        if (Format.has(format, Format.PERSISTENTCONN)) {
            Columns.left(b, "destination", 18).append(' ');
            Columns.left(b, "pe name", 16).append(' ').append("pe_data\n");
        } else {
            b.append("destination\n");
        }
        for (final ConnectionEntry e : entries) {
            Columns.left(b, e.protocol().name(), 3).append(' ');
            Columns.left(b, expire(e.expiresMillis()), 6).append(' ');
            Columns.left(b, e.state(), 11).append(' ');
            Columns.left(b, names.addrPort(e.client().address(), e.client().port(), e.protocol()), 18).append(' ');
            Columns.left(b, names.addrPort(e.virtual().address(), e.virtual().port(), e.protocol()), 18)
                    .append(' ');
            b.append(names.addrPort(e.destination().address(), e.destination().port(), e.protocol())).append('\n');
        }
    }

    /** {@code %02d:%02d} of whole seconds left; minutes are not bounded. */
    static String expire(final long millis) {
        final long seconds = Math.max(0, millis) / 1000;
        final long m = seconds / 60;
        final long s = seconds % 60;
        return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    }
}
