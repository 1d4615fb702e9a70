/**
 * Versions, tag patterns, release channels and floating-tag decisions.
 *
 * <p>Everything here is pure: no I/O and no dependency on the rest of Cutter, so the rules that
 * decide what a release is called and which tags it may move can be tested exhaustively in
 * isolation. Invalid input is reported with a {@link dev.cutter.version.VersionException} whose
 * message says what is wrong and how to fix it.
 */
package dev.cutter.version;
