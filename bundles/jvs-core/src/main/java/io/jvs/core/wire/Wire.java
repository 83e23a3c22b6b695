package io.jvs.core.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Shared guard of the flyweights. */
final class Wire {
    private Wire() {
    }

    /**
     * Returns {@code buffer} if it reads big-endian (network order, the {@link ByteBuffer} default). A
     * little-endian buffer would silently byte-swap every multi-byte field, so it is refused once, at wrap;
     * this is a programming error, never a per-packet outcome.
     */
    static ByteBuffer bigEndian(final ByteBuffer buffer) {
        if (buffer.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("wire flyweights need a big-endian buffer");
        }
        return buffer;
    }
}
