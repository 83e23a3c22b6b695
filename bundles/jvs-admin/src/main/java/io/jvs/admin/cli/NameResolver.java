package io.jvs.admin.cli;

import io.jvs.api.Protocol;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The name services ipvsadm consults: host names (forward for arguments, reverse for listings without
 * {@code -n}) and service names of ports per protocol, as in {@code /etc/services}. Implementations must answer
 * promptly: a listing never waits long on a name, it prints the number instead.
 */
public interface NameResolver {

    /** The first IPv4 address of a host name, as {@code gethostbyname} gives it; empty when unknown. */
    Optional<InetAddress> addressOf(String host);

    /** The host name of an address (reverse lookup); empty when there is none or it is not known in time. */
    Optional<String> nameOf(InetAddress address);

    /** The port of a service name or alias for a protocol, as {@code getservbyname}. */
    OptionalInt portOf(String service, Protocol protocol);

    /** The service name of a port for a protocol, as {@code getservbyport}. */
    Optional<String> serviceOf(int port, Protocol protocol);

    /** The system's resolver: {@link InetAddress} lookups with a time bound and caches, and /etc/services. */
    static NameResolver system() {
        return SystemNameResolver.shared();
    }
}
