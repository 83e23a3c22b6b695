/** The director's own IPv4 neighbour (ARP) table: the kernel's is not consulted on the packet path. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.jvs.core.neigh;
