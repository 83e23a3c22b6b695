/** The administration API every control transport (socket, shell, fleet) calls: ipvsadm's operations, once. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jvs.admin;
