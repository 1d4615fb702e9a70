package dev.cutter.oci;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.cutter.content.Digest;
import dev.cutter.content.FileTrees;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image's filesystem unpacked into a directory the way a container runtime lays it out: the
 * layers in order, each applied over the ones below, with the OCI whiteouts ({@code .wh.NAME}
 * deletes {@code NAME} of a lower layer, {@code .wh..wh..opq} empties its directory of lower
 * layers' entries). What a smoke check runs against without a container engine.
 *
 * <p>Layers are untrusted input. Every path is resolved inside the root as {@code chroot} would
 * resolve it — {@code ..} stops at the root, and a symbolic link, absolute or relative, is
 * followed within it — so no entry writes outside the directory, whatever links earlier entries
 * made. Owners are not applied (the check runs unprivileged), device nodes and FIFOs are left out,
 * and only permission bits are kept. Layers stream from the store; nothing is held whole.
 */
public final class RootFs {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final int MAX_LINKS = 40; // as Linux's MAXSYMLINKS

    private final Path root;

    private RootFs(Path root) {
        this.root = root;
    }

    /**
     * Unpacks the image of {@code manifest} (a single-platform manifest whose blobs are all in
     * {@code store}) into {@code dir}, which must be empty or absent.
     */
    public static void unpack(OciLayout store, Digest manifest, Path dir) throws IOException {
        JsonNode m = JSON.readTree(store.blob(manifest).toFile());
        if (!m.has("layers")) {
            throw new OciLayoutException(store.blob(manifest), "not an image manifest (it has no layers)");
        }
        Files.createDirectories(dir);
        RootFs rootfs = new RootFs(dir.toRealPath());
        for (JsonNode layer : m.path("layers")) {
            Digest digest = Digest.parse(layer.path("digest").asText());
            Path blob = store.blob(digest);
            if (!Files.isRegularFile(blob) && MediaTypes.isNonDistributable(layer.path("mediaType").asText())) {
                throw new OciLayoutException(store.blob(manifest), "its non-distributable layer " + digest
                        + " is not in the store: its registry does not serve it (its urls: " + layer.path("urls")
                        + "), and Cutter does not download layers from elsewhere to unpack them");
            }
            try (InputStream in = decompressed(layer.path("mediaType").asText(), new BufferedInputStream(Files.newInputStream(blob), 1 << 16));
                    TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                rootfs.apply(tar, blob);
            }
        }
    }

    private static InputStream decompressed(String mediaType, InputStream in) throws IOException {
        if (mediaType.endsWith("+zstd") || mediaType.endsWith(".zstd")) {
            return new ZstdInputStream(in);
        }
        if (mediaType.endsWith("gzip")) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in; // an uncompressed tar layer
    }

    /** One layer over what is there. */
    private void apply(TarArchiveInputStream tar, Path blob) throws IOException {
        Set<Path> ofThisLayer = new HashSet<>();
        List<Path> opaque = new ArrayList<>();
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            List<String> parts = components(entry.getName());
            if (parts.isEmpty()) {
                continue; // the root itself
            }
            String base = parts.getLast();
            String named = base.startsWith(WHITEOUT) && !base.equals(OPAQUE) ? base.substring(WHITEOUT.length()) : base;
            if (named.isEmpty() || named.equals(".") || named.equals("..")) {
                // the directory above or the one it is in: written or whited out, it would replace or
                // delete the root or what holds it, whatever the parts before it resolved to
                throw new OciLayoutException(blob, "entry " + entry.getName() + " names no file (its last part is "
                        + (named.isEmpty() ? "a whiteout of nothing" : "'" + base + "'") + "); such a layer is refused");
            }
            Path parent = resolve(parts.subList(0, parts.size() - 1), true, blob);
            if (base.equals(OPAQUE)) {
                opaque.add(parent);
                continue;
            }
            if (base.startsWith(WHITEOUT)) {
                Path gone = parent.resolve(base.substring(WHITEOUT.length()));
                if (Files.exists(gone, NOFOLLOW_LINKS)) {
                    FileTrees.delete(gone);
                }
                continue;
            }
            Path target = parent.resolve(base);
            ofThisLayer.add(target);
            if (entry.isDirectory()) {
                if (!Files.isDirectory(target, NOFOLLOW_LINKS)) {
                    replace(target);
                    Files.createDirectory(target);
                }
                permissions(target, entry.getMode());
            } else if (entry.isSymbolicLink()) {
                replace(target);
                Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
            } else if (entry.isLink()) {
                Path existing = resolve(components(entry.getLinkName()), false, blob);
                replace(target);
                if (!Files.isRegularFile(existing, NOFOLLOW_LINKS)) {
                    throw new OciLayoutException(blob, "hard link " + entry.getName() + " names " + entry.getLinkName()
                            + ", which is not a file of the image");
                }
                Files.createLink(target, existing);
            } else if (entry.isFile()) {
                replace(target);
                Files.copy(tar, target);
                permissions(target, entry.getMode());
            }
            // character and block devices and FIFOs: not made (the check runs unprivileged)
        }
        for (Path dir : opaque) { // an opaque directory hides what lower layers had in it, not what this one put there
            if (Files.isDirectory(dir, NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                    for (Path child : children) {
                        if (!ofThisLayer.contains(child) && ofThisLayer.stream().noneMatch(p -> p.startsWith(child))) {
                            FileTrees.delete(child);
                        }
                    }
                }
            }
        }
    }

    /** Removes what is at {@code target} (a file, a link or a directory tree) so something else can go there. */
    private static void replace(Path target) throws IOException {
        if (Files.exists(target, NOFOLLOW_LINKS)) {
            FileTrees.delete(target);
        }
    }

    private static void permissions(Path path, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                perms.add(bits[i]);
            }
        }
        if (Files.isDirectory(path, NOFOLLOW_LINKS)) {
            perms.add(PosixFilePermission.OWNER_WRITE); // later layers and the clean-up must be able to write in it
            perms.add(PosixFilePermission.OWNER_EXECUTE);
        }
        Files.setPosixFilePermissions(path, perms);
    }

    /** A tar entry's name as path components: {@code ./}, leading slashes and empty parts dropped. */
    private static List<String> components(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts;
    }

    /**
     * Where {@code parts} lead inside the root, following symbolic links within it as chroot
     * would; with {@code makeDirectories}, missing directories on the way are made.
     */
    private Path resolve(List<String> parts, boolean makeDirectories, Path blob) throws IOException {
        Deque<String> todo = new ArrayDeque<>(parts);
        Path at = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.removeFirst();
            if (part.equals("..")) {
                at = at.equals(root) ? root : at.getParent();
                continue;
            }
            Path next = at.resolve(part);
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    throw new OciLayoutException(blob, "too many symbolic links under " + root.relativize(next));
                }
                String link = Files.readSymbolicLink(next).toString();
                List<String> linked = components(link);
                for (int i = linked.size() - 1; i >= 0; i--) {
                    todo.addFirst(linked.get(i));
                }
                if (link.startsWith("/")) {
                    at = root;
                }
                continue;
            }
            boolean there = Files.exists(next, NOFOLLOW_LINKS);
            if (makeDirectories && there && !Files.isDirectory(next, NOFOLLOW_LINKS)) {
                Files.delete(next); // a lower layer's file where this layer has a directory: the directory wins
                there = false;
            }
            if (makeDirectories && !there) {
                Files.createDirectory(next);
            }
            at = next;
        }
        return at;
    }
}
