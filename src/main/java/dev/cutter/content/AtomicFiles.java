package dev.cutter.content;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file replaced whole: written under a temporary name beside its target, then renamed over it in
 * one step, so a reader, or a process killed halfway, sees the old file or the new one, never
 * half. Beside the target, because a rename is atomic only within one file system. Files others
 * read go through {@link PublishedFiles#write}, which also makes them 0644.
 */
public final class AtomicFiles {
    /** Fills the temporary file that will become the target. */
    @FunctionalInterface
    public interface Writer {
        void write(Path temp) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code target} through {@code writer}; the temporary file (0600, as created) never outlives the call. */
    public static void write(Path target, Writer writer) throws IOException {
        replace(Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp"), target, writer);
    }

    /** Fills {@code temp} and renames it over {@code target}; {@code temp} is gone afterwards, whatever happened. */
    static void replace(Path temp, Path target, Writer writer) throws IOException {
        try {
            writer.write(temp);
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Renames {@code temp} over {@code target} in one step; refused where the file system cannot, rather than risk half a file. */
    public static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically: its file system does not rename atomically", e);
        }
    }
}
