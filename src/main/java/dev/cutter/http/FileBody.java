package dev.cutter.http;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A request body streamed from a file that must have a known size and digest, checked while it
 * is sent. The last piece is held back until the whole file has been digested: a file that is not
 * what it should be (changed after it was built, truncated, grown) fails the request before the
 * service has received all the bytes it was promised by {@code Content-Length}, so the service
 * never stores it. Such a failure is final: {@link Retries#retryable(IOException)} says so.
 */
public final class FileBody {
    private FileBody() {}

    /** The file's bytes as a body of exactly {@code size} bytes, refused unless they digest to {@code digest}. */
    public static HttpRequest.BodyPublisher of(Path file, long size, Digest digest) {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> new Verifying(file, size, digest)), size);
    }

    /**
     * The file could not be read, or is not the size and digest it should be; the request was cut
     * short. The message names the file and what it is instead.
     */
    public static final class SourceException extends IOException {
        private final Path file;

        SourceException(Path file, String message, Throwable cause) {
            super(message, cause);
            this.file = file;
        }

        public Path file() {
            return file;
        }
    }

    /** The file's bytes, digested as they are read; the final read fails unless size and digest are right. */
    private static final class Verifying extends InputStream {
        private final Path file;
        private final long size;
        private final Digest digest;
        private final MessageDigest md;
        private InputStream in;
        private long sent;
        private boolean verified;

        Verifying(Path file, long size, Digest digest) {
            this.file = file;
            this.size = size;
            this.digest = digest;
            try {
                this.md = MessageDigest.getInstance(digest.algorithm().equals(Digest.SHA256) ? "SHA-256" : "SHA-512");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK always has " + digest.algorithm(), e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            open();
            if (sent == size) {
                if (!verified) {
                    verifyEnd();
                }
                return -1;
            }
            int n = read(buffer, off, (int) Math.min(len, size - sent), "read");
            if (n < 0) {
                throw new SourceException(file, file + " has " + sent + " bytes, not " + size, null);
            }
            md.update(buffer, off, n);
            sent += n;
            if (sent == size) {
                verifyEnd(); // before the last piece goes out
            }
            return n;
        }

        private void verifyEnd() throws IOException {
            if (read(new byte[1], 0, 1, "read") >= 0) {
                throw new SourceException(file, file + " has more than " + size + " bytes", null);
            }
            Digest actual = new Digest(digest.algorithm(), HexFormat.of().formatHex(md.digest()));
            if (!actual.equals(digest)) {
                throw new SourceException(file, file + " is " + actual + ", not " + digest, null);
            }
            verified = true;
        }

        private int read(byte[] buffer, int off, int len, String what) throws IOException {
            try {
                return in.read(buffer, off, len);
            } catch (IOException e) {
                throw new SourceException(file, "could not " + what + " " + file + ": " + e.getMessage(), e);
            }
        }

        private void open() throws IOException {
            if (in != null) {
                return;
            }
            try {
                in = Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw new SourceException(file, file + " does not exist", e);
            } catch (IOException e) {
                throw new SourceException(file, "could not open " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
