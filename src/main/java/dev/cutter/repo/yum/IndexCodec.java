package dev.cutter.repo.yum;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The index file's binary form: a magic, a format number, the publication count, the number of
 * packages, every package (each field in record order, strings as length-prefixed UTF-8), then
 * the retired files. A JSON parser's start-up alone took longer than an incremental update of
 * thousands of packages may; this reads in a few milliseconds. Written and read a package at a
 * time ({@link YumState}): nothing here holds more than one.
 */
final class IndexCodec {
    static final long MAGIC = 0x4355545959554d31L; // "CUTYYUM1"
    static final int FORMAT = 1;
    /** Where the package count lies: after the magic, the format and the generation. */
    static final int COUNT_OFFSET = 8 + 4 + 8;

    private IndexCodec() {}

    static void writeHeader(DataOutputStream out, long generation, int count) throws IOException {
        out.writeLong(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(generation);
        out.writeInt(count);
    }

    /** The publication count and the package count, once the magic and the format are checked. */
    static long[] readHeader(DataInputStream in, String source) throws IOException {
        if (in.readLong() != MAGIC) {
            throw new IOException(source + " is not a Cutter yum index (bad magic)");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException(source + " has format " + format + ", this Cutter reads format " + FORMAT);
        }
        long generation = in.readLong();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("damaged index: " + count + " packages");
        }
        return new long[] {generation, count};
    }

    static void writePackage(DataOutputStream out, YumPackage p) throws IOException {
        string(out, p.name());
        string(out, p.arch());
        out.writeLong(p.epoch());
        string(out, p.version());
        string(out, p.release());
        string(out, p.location());
        string(out, p.sha256());
        for (long n : new long[] {p.packageSize(), p.fileTime(), p.buildTime(), p.installedSize(), p.archiveSize(),
                p.headerStart(), p.headerEnd()}) {
            out.writeLong(n);
        }
        for (String s : List.of(p.summary(), p.description(), p.packager(), p.url(), p.license(), p.vendor(),
                p.group(), p.buildHost(), p.sourceRpm())) {
            string(out, s);
        }
        for (List<YumPackage.Dependency> deps : List.of(p.provides(), p.requires(), p.conflicts(), p.obsoletes(),
                p.suggests(), p.enhances(), p.recommends(), p.supplements())) {
            out.writeInt(deps.size());
            for (YumPackage.Dependency d : deps) {
                string(out, d.name());
                string(out, d.flags());
                string(out, d.epoch());
                string(out, d.version());
                string(out, d.release());
                out.writeBoolean(d.pre());
            }
        }
        out.writeInt(p.files().size());
        for (YumPackage.PackagedFile f : p.files()) {
            string(out, f.path());
            string(out, f.type());
        }
        out.writeInt(p.changelogs().size());
        for (YumPackage.Changelog c : p.changelogs()) {
            string(out, c.author());
            out.writeLong(c.date());
            string(out, c.text());
        }
    }

    static YumPackage readPackage(DataInputStream in) throws IOException {
        String name = string(in);
        String arch = string(in);
        long epoch = in.readLong();
        String version = string(in);
        String release = string(in);
        String location = string(in);
        String sha256 = string(in);
        long[] n = new long[7];
        for (int k = 0; k < n.length; k++) {
            n[k] = in.readLong();
        }
        String[] t = new String[9];
        for (int k = 0; k < t.length; k++) {
            t[k] = string(in);
        }
        List<List<YumPackage.Dependency>> deps = new ArrayList<>(8);
        for (int k = 0; k < 8; k++) {
            int size = count(in);
            List<YumPackage.Dependency> list = new ArrayList<>(Math.min(size, 1024));
            for (int j = 0; j < size; j++) {
                list.add(new YumPackage.Dependency(string(in), string(in), string(in), string(in), string(in),
                        in.readBoolean()));
            }
            deps.add(list);
        }
        int fileCount = count(in);
        List<YumPackage.PackagedFile> files = new ArrayList<>(Math.min(fileCount, 1024));
        for (int j = 0; j < fileCount; j++) {
            files.add(new YumPackage.PackagedFile(string(in), string(in)));
        }
        int changelogCount = count(in);
        List<YumPackage.Changelog> changelogs = new ArrayList<>(Math.min(changelogCount, 1024));
        for (int j = 0; j < changelogCount; j++) {
            changelogs.add(new YumPackage.Changelog(string(in), in.readLong(), string(in)));
        }
        return new YumPackage(name, arch, epoch, version, release, location, sha256, n[0], n[1], n[2], n[3],
                n[4], n[5], n[6], t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], deps.get(0), deps.get(1),
                deps.get(2), deps.get(3), deps.get(4), deps.get(5), deps.get(6), deps.get(7), files, changelogs);
    }

    static void writeRetired(DataOutputStream out, Collection<YumRepository.Retired> retired) throws IOException {
        out.writeInt(retired.size());
        for (YumRepository.Retired r : retired) {
            string(out, r.location());
            out.writeLong(r.generation());
        }
    }

    static List<YumRepository.Retired> readRetired(DataInputStream in) throws IOException {
        int retiredCount = count(in);
        List<YumRepository.Retired> retired = new ArrayList<>(Math.min(retiredCount, 1 << 16));
        for (int i = 0; i < retiredCount; i++) {
            retired.add(new YumRepository.Retired(string(in), in.readLong()));
        }
        return retired;
    }

    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("damaged index: a list of " + count + " entries");
        }
        return count;
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 64 << 20) {
            throw new IOException("damaged index: a string of " + length + " bytes");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
