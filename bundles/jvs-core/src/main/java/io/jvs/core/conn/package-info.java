/** Connection state: the TCP state machine of IPVS as data, and the idle timeouts of each state. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.jvs.core.conn;
