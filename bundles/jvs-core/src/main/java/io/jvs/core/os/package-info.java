/** The few system calls the packet core needs, through JNA direct mapping: setup and per batch, never per packet. */
package io.jvs.core.os;
