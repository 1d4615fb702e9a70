/**
 * The port through which capability packages run programs (git, apt-get, dnf, rpmkeys, docker
 * credential helpers): a {@link dev.cutter.process.Command} in, a {@link dev.cutter.process.Result}
 * out. Only {@link dev.cutter.process.LocalProcessRunner} touches {@code ProcessBuilder}.
 */
package dev.cutter.process;
