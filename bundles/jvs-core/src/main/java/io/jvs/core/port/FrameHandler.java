package io.jvs.core.port;

import java.nio.ByteBuffer;

/** Receives frames from a {@link Port}, one call per frame, in the port's memory: no copy, no
 * allocation. The caller of {@link Port#receive} knows which port it asked. */
@FunctionalInterface
public interface FrameHandler {
    /**
     * @param frame  big-endian buffer holding the frame; valid only during the call, may be rewritten in place
     * @param offset where the Ethernet header starts
     * @param length frame length without FCS
     */
    void onFrame(ByteBuffer frame, int offset, int length);
}
