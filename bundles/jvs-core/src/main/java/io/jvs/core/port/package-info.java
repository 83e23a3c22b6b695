/** Where frames come from and go to: AF_PACKET rings on a data-plane interface, or memory in tests and benchmarks. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.jvs.core.port;
