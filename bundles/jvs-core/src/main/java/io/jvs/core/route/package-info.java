/** The director's interfaces, IPv4 addresses and main-table routes, learnt from rtnetlink and followed live. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.jvs.core.route;
