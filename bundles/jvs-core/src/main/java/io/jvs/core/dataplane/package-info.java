/** The packet path: workers that turn received frames into balanced, rewritten frames, and what they share. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.jvs.core.dataplane;
