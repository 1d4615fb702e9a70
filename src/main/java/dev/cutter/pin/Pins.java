package dev.cutter.pin;

import dev.cutter.content.Staging;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;

/**
 * Applies pins to files and reverts them: {@link PinEdit} with reading and writing around it.
 *
 * <p>A file is decoded as UTF-8 (or UTF-16 when it starts with a UTF-16 byte-order mark); a byte-order
 * mark is kept; bytes that are not valid in the charset are refused rather than replaced. A changed file
 * is written atomically: to a file of a {@link Staging} (never beside it in the checkout, where a killed
 * release would leave it for {@code git add} to find), flushed to disk, given the original's POSIX
 * permissions, then renamed over the original (through a symbolic link, the link's target is written).
 * Owner and group are not changed (the writing user owns the result). Unchanged files are not written at all.
 */
public final class Pins {
    private Pins() {}

    /**
     * One applied pin: enough to log it and to {@link #revert} it later (even from another process — all
     * components are plain values).
     *
     * @param file the edited file
     * @param pin what was edited
     * @param previous the value before, {@code null} when a kustomize field was added; see {@link PinEdit.Result#previous}
     * @param value the value written
     * @param changed whether the file was written
     * @param previousSource the characters the edit replaced; see {@link PinEdit.Result#previousSource}
     */
    public record Edit(Path file, Pin pin, String previous, String value, boolean changed, String previousSource) {
        public Edit {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(pin, "pin");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Sets what {@code pin} points at in {@code file} to {@code value}; writes the file, made in {@code staging}, only if that changes it. */
    public static Edit edit(Path file, Pin pin, String value, Staging staging) throws IOException {
        Content content = read(file);
        PinEdit.Result result;
        try {
            result = PinEdit.apply(content.text(), pin, value);
        } catch (PinException e) {
            throw e.in(file);
        }
        if (result.changed()) {
            write(file, content.charset(), result.text(), staging);
        }
        return new Edit(file, pin, result.previous(), value, result.changed(), result.previousSource());
    }

    /**
     * Undoes {@code edit} in its file as it is now: the pinned value is set back to what it was (other
     * changes to the file are kept). Does nothing if the edit changed nothing or was reverted already;
     * throws {@link PinException} if the pinned value was changed since.
     */
    public static void revert(Edit edit, Staging staging) throws IOException {
        if (!edit.changed()) {
            return;
        }
        Content content = read(edit.file());
        PinEdit.Result result;
        try {
            result = PinEdit.revert(content.text(), edit.pin(), edit.value(), edit.previous(), edit.previousSource());
        } catch (PinException e) {
            throw e.in(edit.file());
        }
        if (result.changed()) {
            write(edit.file(), content.charset(), result.text(), staging);
        }
    }

    record Content(String text, Charset charset) {}

    static Content read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Charset charset = StandardCharsets.UTF_8;
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff) {
            charset = StandardCharsets.UTF_16BE;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe) {
            charset = StandardCharsets.UTF_16LE;
        }
        try {
            String text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new Content(text, charset); // a BOM decodes to U+FEFF and is encoded back as the same bytes
        } catch (CharacterCodingException e) {
            throw new PinException("not valid " + charset.name() + " text; pins edit UTF-8 (or UTF-16 with a byte-order mark) files")
                    .in(file);
        }
    }

    static void write(Path file, Charset charset, String text, Staging staging) throws IOException {
        Path target = file.toRealPath();
        ByteBuffer encoded = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
        staging.write(target, temp -> {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (encoded.hasRemaining()) {
                    out.write(encoded);
                }
                out.force(true);
            }
            PosixFileAttributeView posix = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
                Files.setPosixFilePermissions(temp, permissions);
            }
        });
    }
}
