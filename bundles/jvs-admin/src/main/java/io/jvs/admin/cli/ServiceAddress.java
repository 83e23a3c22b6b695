package io.jvs.admin.cli;

import io.jvs.api.Protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * ipvsadm's {@code parse_service}: {@code host[:port]} or {@code [v6]:port}. The host is an IPv6 literal, an
 * {@code inet_aton} IPv4 text or a name resolved to its first IPv4 address; the port a number 0..65535 or a
 * service name of the given protocol.
 *
 * @param address the parsed address, null when the text was refused
 * @param port    the parsed port, or -1 when the text had none
 */
record ServiceAddress(InetAddress address, int port) {
    private static final ServiceAddress NONE = new ServiceAddress(null, -1);

    boolean valid() {
        return address != null;
    }

    boolean hasPort() {
        return port >= 0;
    }

    boolean ipv6() {
        return address instanceof Inet6Address;
    }

    static ServiceAddress parse(final String text, final Protocol protocol, final NameResolver names) {
        if (text == null || isAllDigits(text)) {
            return NONE;
        }
        String host = text;
        String portText = null;
        if (host.startsWith("[")) {
            final int close = host.indexOf(']');
            if (close < 0 || close + 1 >= host.length() || host.charAt(close + 1) != ':') {
                return NONE;
            }
            portText = host.substring(close + 2);
            host = host.substring(1, close);
        }
        InetAddress address = InetText.pton6(host);
        if (address == null) {
            // As in ipvsadm, the last colon of the (bracket-stripped) host starts the port; a bracketed IPv4
            // host therefore loses the port written after the bracket.
            final int colon = host.lastIndexOf(':');
            portText = colon < 0 ? null : host.substring(colon + 1);
            if (colon >= 0) {
                host = host.substring(0, colon);
            }
            address = InetText.aton(host);
            if (address == null) {
                final Optional<InetAddress> named = names.addressOf(host);
                if (named.isEmpty()) {
                    return NONE;
                }
                address = named.get();
            }
        }
        if (portText == null) {
            return new ServiceAddress(address, -1);
        }
        final long number = InetText.number(portText, 0, 65535);
        if (number >= 0) {
            return new ServiceAddress(address, (int) number);
        }
        if (protocol != null) {
            final OptionalInt named = names.portOf(portText, protocol);
            if (named.isPresent()) {
                return new ServiceAddress(address, named.getAsInt());
            }
        }
        return NONE;
    }

    private static boolean isAllDigits(final String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!InetText.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
