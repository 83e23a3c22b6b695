package io.jvs.core.dataplane;

import io.jvs.api.Protocol;
import io.jvs.api.ServiceKey;
import io.jvs.core.conn.ConnectionTimeouts;
import io.jvs.core.svc.Service;
import io.jvs.core.svc.TableSnapshot;
import java.util.Arrays;

/**
 * A table snapshot compiled for the packet path: IPv4 TCP/UDP services by (protocol, VIP, port) in an
 * open-addressing array, the set of VIPs, and the connection timeouts in force. Built by the control plane once
 * per snapshot, read by every worker without locks or allocation.
 *
 * <p>Firewall-mark and IPv6 services are listed and saved but not balanced by this core (no packet marks in user
 * space; the IPv4 data path comes first).
 */
public final class ServiceIndex {
    public static final ServiceIndex EMPTY = new ServiceIndex(TableSnapshot.EMPTY);

    private final long[] keys;
    private final Service[] services;
    private final int mask;
    private final int[] vips;
    private final int vipMask;
    private final int[] vipList;
    private final ConnectionTimeouts timeouts;
    private final long generation;

    public ServiceIndex(final TableSnapshot snapshot) {
        final int n = snapshot.services().size();
        final int size = Integer.highestOneBit(Math.max(8, n) * 4 - 1);
        keys = new long[size];
        services = new Service[size];
        mask = size - 1;
        final int[] vipSet = new int[size];
        int vipCount = 0;
        final int[] list = new int[n];
        for (final Service s : snapshot.services().values()) {
            final ServiceKey k = s.config().key();
            if (k.isFwmark() || k.isIpv6() || k.protocol() == Protocol.SCTP) {
                continue;
            }
            final int vip = ipv4(k);
            final long key = key(k.protocol().number(), vip, k.port());
            int i = home(key, mask);
            while (services[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            services[i] = s;
            if (addVip(vipSet, mask, vip)) {
                list[vipCount++] = vip;
            }
        }
        vips = vipSet;
        vipMask = mask;
        vipList = Arrays.copyOf(list, vipCount);
        timeouts = new ConnectionTimeouts(snapshot.timeouts());
        generation = snapshot.generation();
    }

    private static int ipv4(final ServiceKey k) {
        final byte[] a = k.address().getAddress();
        return (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
    }

    private static long key(final int protocol, final int vip, final int port) {
        // Never 0 for a real key: the protocol is at least 6.
        return (long) protocol << 48 | (long) port << 32 | (vip & 0xFFFFFFFFL);
    }

    private static int home(final long key, final int mask) {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 29) & mask;
    }

    private static boolean addVip(final int[] set, final int mask, final int vip) {
        // 0.0.0.0 is no VIP, so 0 marks an empty slot.
        int i = home(vip, mask);
        while (set[i] != 0) {
            if (set[i] == vip) {
                return false;
            }
            i = (i + 1) & mask;
        }
        set[i] = vip;
        return true;
    }

    /** The service for a packet to {@code vip:port}: the exact one, else the VIP's port-0 service, else null. */
    public Service lookup(final int protocol, final int vip, final int port) {
        final Service exact = find(key(protocol, vip, port));
        return exact != null || port == 0 ? exact : find(key(protocol, vip, 0));
    }

    private Service find(final long key) {
        for (int i = home(key, mask); services[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return services[i];
            }
        }
        return null;
    }

    /** Whether {@code address} is the VIP of some balanced service. */
    public boolean isVip(final int address) {
        if (address == 0) {
            return false;
        }
        for (int i = home(address, vipMask); vips[i] != 0; i = (i + 1) & vipMask) {
            if (vips[i] == address) {
                return true;
            }
        }
        return false;
    }

    /** The VIPs, each once. */
    public int[] vips() {
        return vipList.clone();
    }

    public ConnectionTimeouts timeouts() {
        return timeouts;
    }

    public long generation() {
        return generation;
    }
}
