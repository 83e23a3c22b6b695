/**
 * The ipvsadm command language: parses ipvsadm argument vectors and restore files into
 * {@link io.jvs.api.TableCommand}s and prints listings and saves byte for byte as ipvsadm 1.31 does.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jvs.admin.cli;
