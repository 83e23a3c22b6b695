package io.jvs.core.svc;

import io.jvs.api.DestinationConfig;
import io.jvs.api.DestinationInfo;

/** A realserver in a table snapshot: its settings at that snapshot and its live state. */
public record Destination(DestinationConfig config, DestinationState state) {
    DestinationInfo info() {
        return new DestinationInfo(config, state.activeConns(), state.inactiveConns(),
                state.persistentConns(), state.counters().snapshot());
    }
}
