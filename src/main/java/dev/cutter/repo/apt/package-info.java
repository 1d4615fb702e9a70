/**
 * An apt repository in a local directory, published for any static web server: what
 * {@code apt-ftparchive}, reprepro and aptly do, without a database server or external program.
 *
 * <h2>Layout</h2>
 * <pre>
 * pool/&lt;component&gt;/&lt;l|libX&gt;/&lt;source&gt;/&lt;name&gt;_&lt;version without epoch&gt;_&lt;arch&gt;.deb
 * dists/&lt;dist&gt;                      → symbolic link to .generations/&lt;dist&gt;/&lt;n&gt;
 * dists/.generations/&lt;dist&gt;/&lt;n&gt;/Release, InRelease, Release.gpg
 *     &lt;component&gt;/binary-&lt;arch&gt;/Packages[.gz|.xz]
 *     &lt;component&gt;/binary-&lt;arch&gt;/by-hash/{MD5Sum,SHA1,SHA256,SHA512}/&lt;hex&gt;
 * .cutter/apt/state/&lt;dist&gt;/&lt;component&gt;   the state (need not be served)
 * .cutter/apt/collectable                     pool files that may have lost their last reference
 * .cutter/apt/lock
 * </pre>
 * Packages stanzas are written as {@code apt-ftparchive packages} writes them (its field order,
 * Filename, Size, MD5sum, SHA1, SHA256, SHA512, a blank line after each stanza), sorted by name
 * and dpkg version order. {@code Architecture: all} packages are listed in every
 * {@code binary-<arch>} index. The Release file lists every index file under MD5Sum, SHA1, SHA256
 * and SHA512 with its size (right-aligned in 16 columns, as apt-ftparchive does), dated from
 * {@link dev.cutter.repo.apt.AptPublishOptions#date} so the same state gives the same bytes (and,
 * with a signer on a fixed clock, the same signatures).
 *
 * <h2>State: incremental without re-reading the pool</h2>
 * Each distribution/component has a state file in the Packages format listing every package it
 * holds, all architectures, with pool file name, size and digests. {@code add} reads only the new
 * .deb files (one pass each: control, size and four digests), {@code remove} and {@code publish}
 * read only state files. A Packages index is a pure function of the state, and the state of an
 * incremental add equals the state a full {@code rebuild} from the pool reads, hence identical
 * indexes. State files and pool files are made in the staging and moved in by rename after an
 * fsync; a crash leaves the old or the new one, and no temporary file in the tree.
 * {@code add}/{@code remove} change only the state: clients see nothing until {@code publish}.
 *
 * <h2>Memory: one stanza at a time</h2>
 * Nothing holds every package. The state is read a stanza at a time ({@code PackagesFile}); an
 * add or a remove writes the new state in the same pass, merging the new packages in and holding
 * one package name's versions (retention decides per name); each {@code Packages} index is one
 * more pass over the state, written to every compression at once and hashed as the bytes reach
 * the disk ({@code IndexFiles}). A full rebuild reads the pool in path order but the state is in
 * index order: each stanza goes to a scratch file as its .deb is read, and only a key per package
 * (name, version, architecture, file name, offset) is sorted ({@code Spool}). An xz index costs
 * the LZMA2 encoder's fixed ~94 MiB (preset 6, as {@code xz -6}), whatever the size.
 *
 * <h2>Atomic publication</h2>
 * {@code publish} writes each distribution into a new generation directory in Cutter's staging
 * (outside the tree), fsyncs it, moves it into {@code dists/.generations/<dist>/} in one rename,
 * then renames a new symbolic link, made in the staging too, over {@code dists/<dist>}: rename(2) is atomic, so every request
 * resolves either wholly in the old generation or wholly in the new one. A client in the middle
 * of {@code apt-get update} may still read the old InRelease and then ask for index files after
 * the switch; by path it would get the new ones (a hash mismatch), which is why the Release says
 * {@code Acquire-By-Hash: yes} and apt asks for {@code by-hash/<hash>/<digest>} instead. The new
 * generation carries hard links to the by-hash files the previous Release listed (only those, so
 * by-hash holds two generations, not the whole history), so the old digests stay reachable. apt
 * asks for the strongest hash the Release lists (SHA512 here), so by-hash copies are kept under
 * every listed hash. The previous generation directory is kept for requests already being served;
 * older ones are deleted. Pool files no state references are deleted after the switch, so a
 * published index never names a missing file; only those noted in {@code .cutter/apt/collectable}
 * are candidates (a new pool file is noted before it is copied in, a package before a state drops
 * it, so a crash leaves none unnoted), and the pool is never walked. Copying a whole directory tree instead of a symbolic
 * link was not chosen: a directory cannot be renamed over a non-empty one atomically.
 *
 * <p>Every operation holds an exclusive file lock on {@code .cutter/apt/lock}, so two processes
 * (a CI job and an operator) cannot interleave.
 */
package dev.cutter.repo.apt;
