/**
 * OpenPGP signing and verification: detached signatures ({@code .asc}, apt's {@code Release.gpg},
 * yum's {@code repomd.xml.asc}) and cleartext signatures (apt's {@code InRelease}), made with a
 * key exported by {@code gpg --export-secret-keys} and accepted by gpg, gpgv, apt and dnf.
 *
 * <p>{@link dev.cutter.sign.OpenPgpKey} loads and unlocks the key, {@link dev.cutter.sign.OpenPgpSigner}
 * signs streams with it, {@link dev.cutter.sign.OpenPgpVerifier} checks signatures against a
 * public key. Data is streamed, never held whole in memory; passphrases and key material never
 * appear in messages.
 */
package dev.cutter.sign;
