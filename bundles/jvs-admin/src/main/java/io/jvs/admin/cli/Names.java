package io.jvs.admin.cli;

import io.jvs.api.Addresses;
import io.jvs.api.Protocol;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * ipvsadm's {@code addrport_to_anyname}: {@code addr:port} or {@code [v6]:port}, numerically or with the host
 * name and the protocol's service name where known. Like ipvsadm's 60-byte buffer, the text is cut at 59
 * characters.
 */
final class Names {
    private static final int MAX = 59;

    private final NameResolver resolver;
    private final boolean numeric;

    Names(final NameResolver resolver, final boolean numeric) {
        this.resolver = resolver;
        this.numeric = numeric;
    }

    /** @param protocol the service's protocol, or null (fwmark services) for a numeric port */
    String addrPort(final InetAddress address, final int port, final Protocol protocol) {
        final boolean v6 = address instanceof Inet6Address;
        final StringBuilder b = new StringBuilder(32);
        if (v6) {
            b.append('[');
        }
        if (numeric) {
            b.append(Addresses.numeric(address));
        } else {
            b.append(resolver.nameOf(address).orElseGet(() -> Addresses.numeric(address)));
        }
        if (v6) {
            b.append(']');
        }
        b.append(':');
        if (numeric || protocol == null) {
            b.append(port);
        } else {
            b.append(resolver.serviceOf(port, protocol).orElseGet(() -> Integer.toString(port)));
        }
        if (b.length() > MAX) {
            b.setLength(MAX);
        }
        return b.toString();
    }
}
