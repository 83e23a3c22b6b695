/** The director's interfaces, IPv4 addresses and main-table routes, learnt from rtnetlink and followed live. */
package io.jvs.core.route;
