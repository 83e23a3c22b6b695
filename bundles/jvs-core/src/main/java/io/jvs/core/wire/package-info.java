/** Wire layer of the packet core: allocation-free flyweights over frames, checksums and the parse-step verdicts. */
package io.jvs.core.wire;
