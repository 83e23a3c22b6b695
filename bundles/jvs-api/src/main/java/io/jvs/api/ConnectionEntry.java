package io.jvs.api;

/**
 * One entry of the connection table as {@code ipvsadm -Lc} shows it. A persistence template has client
 * port 0 and state NONE or ASSURED.
 *
 * @param protocol    TCP, UDP or SCTP (templates of fwmark services show as IP in procfs; listed by protocol here)
 * @param client      client address and port
 * @param virtual     virtual address and port
 * @param destination realserver address and port
 * @param state       state name as IPVS prints it ("ESTABLISHED", "UDP", "NONE")
 * @param expiresMillis time left before the entry expires
 * @param template    whether the entry is a persistence template
 */
public record ConnectionEntry(Protocol protocol, Endpoint client, Endpoint virtual, Endpoint destination,
                              String state, long expiresMillis, boolean template) {
}
