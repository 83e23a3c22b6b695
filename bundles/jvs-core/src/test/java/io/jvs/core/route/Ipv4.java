package io.jvs.core.route;

/** Dotted quads to the int form the package uses (network order as a big-endian read gives it). */
final class Ipv4 {
    private Ipv4() {
    }

    static int of(final String dotted) {
        final String[] parts = dotted.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException(dotted);
        }
        int address = 0;
        for (final String part : parts) {
            address = (address << 8) | Integer.parseInt(part);
        }
        return address;
    }
}
