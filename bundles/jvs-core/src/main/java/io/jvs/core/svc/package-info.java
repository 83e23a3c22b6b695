/** The virtual server table: services, their realservers, and the immutable snapshots readers see. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.jvs.core.svc;
