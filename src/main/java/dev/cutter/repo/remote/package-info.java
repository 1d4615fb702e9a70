/**
 * Publishing a local repository directory to a remote mirror over SFTP:
 * {@link dev.cutter.repo.remote.SftpPublisher#sync} makes {@code sftp://[USER@]HOST[:PORT]/PATH}
 * equal to a local tree (regular files, directories, symbolic links), keeping the atomic
 * publication of {@link dev.cutter.repo.apt.AptRepository} and
 * {@link dev.cutter.repo.yum.YumRepository} for clients reading the mirror over HTTP mid-sync.
 *
 * <h2>Order</h2>
 * <ol>
 * <li>Directories (parents first); then every new or changed regular file except the entry points,
 *     in parallel over {@link dev.cutter.repo.remote.SyncOptions#connections} connections, each to
 *     {@code .cutter-tmp-<run>-<n>} in its directory, its modification time set to the local one,
 *     its size checked, then renamed over the target with {@code posix-rename@openssh.com} (atomic).
 *     A server without that extension gets remove + rename (a moment without the file; the result
 *     says so). Files under a directory a local link points to (apt's
 *     {@code dists/.generations/<dist>/<n>/InRelease}) are ordinary files here: the link publishes them.</li>
 * <li>Symbolic links, each created under a temporary name and renamed over the old one: apt's
 *     {@code dists/<dist>} switches generation atomically.</li>
 * <li>Entry points, one at a time: {@code repodata/repomd.xml.asc} then {@code repodata/repomd.xml};
 *     {@code dists/…/InRelease}, {@code Release.gpg}, {@code Release} when no link stands in front.</li>
 * <li>Deletions, once nothing published names them: temporary files of interrupted syncs, remote
 *     files and links the local tree lacks (stale pool packages, old repodata), then directories,
 *     children first (old generations). {@code delete=false} keeps them.</li>
 * </ol>
 * A path whose kind changes (a directory that becomes a file, a file that becomes a directory) is
 * moved aside or deleted just before it is replaced: that one path is missing for a moment.
 *
 * <h2>What is equal: the manifest</h2>
 * SFTP cannot hash a remote file (OpenSSH lacks {@code check-file}), so the remote root holds
 * {@code .cutter-sync.json}: for each file a sync uploaded, the sha256 of the bytes sent and the size
 * and modification time the server reported after the upload. A remote file counts as holding that
 * content only while its size and time are still the recorded ones; a file changed behind the
 * sync's back, or a mirror filled by other means, is uploaded again (robust, not clever: rsync's
 * size+time quick check would trust a file someone else wrote). Locally, a file whose size and
 * modification time match what the manifest recorded is not read; one whose time changed is hashed,
 * and skipped if its content is the same. Local hard links (apt's by-hash copies) are uploaded as
 * separate files.
 *
 * <h2>Crashes and lost connections</h2>
 * Nothing is ever written in place: an interrupted sync leaves the old or the new version of each
 * file, plus {@code .cutter-tmp-*} files the next sync deletes (a resumed release syncs again).
 * The remote's temporary files stay in the directory of their target: SFTP renames within the
 * remote tree, and a directory beside it may not be writable (a chrooted account); no index lists
 * them. On the local side, {@code fetch} makes each file in Cutter's staging, never in the mirror. The manifest is written after the
 * files phase, every 500 files or 512 MiB, on failure (when the connection still allows), and at
 * the end; files completed but not yet recorded are uploaded once more. Rerunning converges.
 * Keep-alives detect a silent server within the timeout. Remote renames are not fsynced (JSch does
 * not expose {@code fsync@openssh.com}).
 *
 * <h2>Trust</h2>
 * Only public keys: a private key given as text, or the ssh-agent. Host keys are checked against a
 * known_hosts file or one {@code SHA256:} fingerprint; an unknown or changed key is refused with its
 * fingerprint in the message, and nothing is ever added to known_hosts.
 *
 * <p>Two syncs to the same target must not run at once: the caller serializes them.
 */
package dev.cutter.repo.remote;
