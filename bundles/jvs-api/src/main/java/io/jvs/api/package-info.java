/** The JVS model: virtual services, destinations, table commands and the table service. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.jvs.api;
