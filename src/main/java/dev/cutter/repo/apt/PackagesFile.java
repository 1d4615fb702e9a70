package dev.cutter.repo.apt;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A Packages-format file (the repository's state, a published index) read one stanza at a time,
 * so that memory holds one package whatever the number of packages the file lists. {@link #next}
 * gives the packages in the file's order; the state files Cutter writes are in
 * {@link AptPackage#ORDER}.
 */
final class PackagesFile implements Closeable {
    private final BufferedReader in;
    private final String source;
    private int line;
    private int first;
    private String text;

    private PackagesFile(BufferedReader in, String source) {
        this.in = in;
        this.source = source;
    }

    /** Opens {@code file}; a file that does not exist reads as an empty one. */
    static PackagesFile open(Path file) throws IOException {
        BufferedReader in;
        try {
            in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16);
        } catch (NoSuchFileException e) {
            in = new BufferedReader(java.io.Reader.nullReader());
        }
        return new PackagesFile(in, file.toString());
    }

    /** Reads a Packages-format stream (a published index, decompressed), which {@code source} names in errors. */
    static PackagesFile of(java.io.InputStream in, String source) {
        return new PackagesFile(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), source);
    }

    /** The next package, or null after the last; an error names the file and the line its stanza starts at. */
    AptPackage next() throws IOException {
        return nextText() == null ? null : parsed();
    }

    /**
     * The next stanza as it is in the file, not parsed, or null after the last: for a pass that
     * needs a field or two of each package ({@link #field}) and copies the rest. Parsing every
     * stanza of a large state was most of what a pass over it cost.
     */
    String nextText() throws IOException {
        StringBuilder paragraph = new StringBuilder(1024);
        for (String line; (line = in.readLine()) != null; ) {
            this.line++;
            if (line.isEmpty() || line.equals("\r")) {
                if (!paragraph.isEmpty()) {
                    break;
                }
                continue;
            }
            if (paragraph.isEmpty()) {
                first = this.line;
            }
            paragraph.append(line).append('\n');
        }
        text = paragraph.isEmpty() ? null : paragraph.toString();
        return text;
    }

    /** The package {@link #nextText} read last, parsed. */
    AptPackage parsed() {
        String where = source + " (the stanza at line " + first + ")";
        return AptPackage.fromIndex(Stanza.parse(text, where), where);
    }

    /**
     * The value of the one-line field {@code name} of {@code stanza}, as the state files Cutter
     * writes spell it ({@code Name: value} at the start of a line), or null when it is not there
     * so spelled (the caller then parses the stanza).
     */
    static String field(String stanza, String name) {
        int at = stanza.startsWith(name + ": ") ? 0 : stanza.indexOf("\n" + name + ": ");
        if (at < 0) {
            return null;
        }
        int start = at == 0 ? name.length() + 2 : at + name.length() + 3;
        int end = stanza.indexOf('\n', start);
        return stanza.substring(start, end < 0 ? stanza.length() : end);
    }

    /**
     * The stanza {@link #next} read last, as it is in the file. The files Cutter writes hold each
     * package's {@link AptPackage#indexStanza()}: copying this text writes the same bytes without
     * rendering the package again.
     */
    String text() {
        return text;
    }

    /** Writes {@code stanza} (an index stanza) and the blank line that ends it. */
    static void write(String stanza, OutputStream out) throws IOException {
        out.write(stanza.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Writes {@code p}'s index stanza and the blank line that ends it, as apt-ftparchive writes them. */
    static void write(AptPackage p, OutputStream out) throws IOException {
        write(p.indexStanza(), out);
    }
}
