package io.jvs.api;

/** A realserver as a listing shows it: its settings, its live connection counts and its statistics. */
public record DestinationInfo(DestinationConfig config, long activeConns, long inactiveConns, long persistentConns,
                              Stats stats) {
}
