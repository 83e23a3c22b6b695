package io.jvs.admin.cli;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.SyncDaemon;
import io.jvs.api.TableCommand;
import io.jvs.api.Timeouts;
import io.jvs.api.TunnelChecksum;
import io.jvs.api.TunnelType;

import java.net.InetAddress;

/**
 * What one command line has set so far, field for field as ipvsadm's {@code ipvs_command_entry}, and the checks
 * ipvsadm's {@code process_options} makes once all options are read.
 */
final class Entry {
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 4;
    static final int AF_INET6 = 6;

    Command command;
    long options;
    int format;

    Protocol protocol;
    int af = AF_UNSPEC;
    InetAddress address;
    int port;
    long fwmark;
    String scheduler = "";
    boolean persistent;
    int timeout;
    int netmask = ServiceConfig.HOST_MASK_V4;
    boolean onePacket;
    String persistenceEngine = "";
    int schedFlags;
    String schedFlagsText;

    int destAf = AF_UNSPEC;
    InetAddress destAddress;
    int destPort;
    ForwardingMethod method = ForwardingMethod.ROUTE;
    int weight = 1;
    int upperThreshold;
    int lowerThreshold;
    int tunnelType;
    int tunnelPort;
    int tunnelFlags;

    SyncDaemon.State daemonState;
    String mcastInterface = "";
    int syncId;
    int syncMaxLength;
    InetAddress mcastGroup;
    int mcastPort;
    int mcastTtl;

    Timeouts timeouts;

    /** ipvsadm's {@code set_option}: each column at most once. */
    void set(final int column) throws CliFailure {
        final long bit = Legality.bit(column);
        if ((options & bit) != 0) {
            throw CliFailure.fail("multiple '" + Legality.OPTION_NAMES[column] + "' options specified");
        }
        options |= bit;
    }

    boolean has(final int column) {
        return (options & Legality.bit(column)) != 0;
    }

    /** The checks of {@code process_options}, then the invocation. */
    Invocation finish() throws CliFailure {
        Legality.check(command, options);
        if (command == Command.LIST) {
            checkListOptions();
        }
        if (command == Command.ADD || command == Command.EDIT) {
            if (fwmark == 0 && port == 0 && !persistent) {
                throw CliFailure.fail("Zero port specified for non-persistent service");
            }
            if (onePacket && fwmark == 0 && protocol != Protocol.UDP) {
                throw CliFailure.fail("One-Packet Scheduling is only for UDP virtual services");
            }
            if (scheduler.isEmpty()) {
                scheduler = Defaults.SCHEDULER;
            }
            if (!persistenceEngine.isEmpty()) {
                // JVS has no persistence engines: the kernel's answer when the engine module is missing.
                throw CliFailure.of(Messages.SCHEDULER_OR_PE_NOT_FOUND, CliFailure.EXIT_MINUS_ONE);
            }
        }
        if (command == Command.STARTDAEMON && mcastInterface.isEmpty()) {
            mcastInterface = Defaults.MCAST_INTERFACE;
        }
        if (command == Command.ADDDEST || command == Command.EDITDEST) {
            checkDestination();
        }
        final ServiceKey key = has(Legality.SERVICE) ? key() : null;
        return new Invocation(command, options, format, key, change(key));
    }

    private void checkListOptions() throws CliFailure {
        final boolean state = has(Legality.CONNECTION) || has(Legality.TIMEOUT) || has(Legality.DAEMON);
        final boolean numbers = has(Legality.STATS) || has(Legality.RATE) || has(Legality.THRESHOLDS);
        if (state && numbers
                || (has(Legality.TIMEOUT) || has(Legality.DAEMON)) && has(Legality.PERSISTENTCONN)) {
            throw CliFailure.fail("options conflicts in the list command");
        }
    }

    private void checkDestination() throws CliFailure {
        // Direct routing and tunnelling cannot change the port: the real server gets the service's.
        if (fwmark == 0 && (method == ForwardingMethod.TUNNEL || method == ForwardingMethod.ROUTE)) {
            destPort = port;
        }
        if (destAf != af && method != ForwardingMethod.TUNNEL) {
            throw CliFailure.fail("Different address family is allowed only for tunneling servers");
        }
        final long tunnelOptions = Legality.bit(Legality.TUN_TYPE) | Legality.bit(Legality.TUN_PORT)
                | Legality.bit(Legality.TUN_NOCSUM) | Legality.bit(Legality.TUN_CSUM)
                | Legality.bit(Legality.TUN_REMCSUM);
        if ((options & tunnelOptions) != 0 && method != ForwardingMethod.TUNNEL) {
            throw CliFailure.fail("Tunnel options conflict with forward method");
        }
        Legality.checkTunnel(tunnelType, options);
    }

    private ServiceKey key() throws CliFailure {
        if (fwmark != 0) {
            if (fwmark > Integer.MAX_VALUE) {
                // The model keeps marks as positive ints; ipvsadm would accept up to 2^32-1.
                throw CliFailure.fail("invalid fwmark value `" + fwmark + "' specified");
            }
            return ServiceKey.fwmark((int) fwmark, af == AF_INET6);
        }
        return ServiceKey.of(protocol, address, port);
    }

    private TableCommand change(final ServiceKey key) {
        return switch (command) {
            case ADD -> new TableCommand.AddService(serviceConfig(key));
            case EDIT -> new TableCommand.EditService(serviceConfig(key));
            case DEL -> new TableCommand.DeleteService(key);
            case FLUSH -> new TableCommand.Clear();
            case ZERO -> new TableCommand.Zero(key);
            case ADDDEST -> new TableCommand.AddDestination(key, destinationConfig());
            case EDITDEST -> new TableCommand.EditDestination(key, destinationConfig());
            case DELDEST -> new TableCommand.DeleteDestination(key, new Endpoint(destAddress, destPort));
            case TIMEOUT -> new TableCommand.SetTimeouts(timeouts);
            case STARTDAEMON -> new TableCommand.StartDaemon(new SyncDaemon(daemonState, mcastInterface, syncId,
                    syncMaxLength, mcastGroup, mcastPort, mcastTtl));
            case STOPDAEMON -> new TableCommand.StopDaemon(daemonState);
            default -> null;
        };
    }

    private ServiceConfig serviceConfig(final ServiceKey key) {
        return new ServiceConfig(key, scheduler, persistent, timeout, netmask, onePacket, schedFlags);
    }

    private DestinationConfig destinationConfig() {
        return new DestinationConfig(new Endpoint(destAddress, destPort), method, weight, upperThreshold,
                lowerThreshold, TunnelType.values()[tunnelType], tunnelPort,
                TunnelChecksum.values()[tunnelFlags]);
    }
}
