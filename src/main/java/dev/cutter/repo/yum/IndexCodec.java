package dev.cutter.repo.yum;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The index file's binary form: a magic, a format number, then every field in record order
 * (strings as length-prefixed UTF-8). A JSON parser's start-up alone took longer than an
 * incremental update of thousands of packages may; this reads in a few milliseconds.
 */
final class IndexCodec {
    static final long MAGIC = 0x4355545959554d31L; // "CUTYYUM1"
    static final int FORMAT = 1;

    private IndexCodec() {}

    static void write(YumRepository.Index index, DataOutputStream out) throws IOException {
        out.writeLong(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(index.generation());
        out.writeInt(index.packages().size());
        for (YumPackage p : index.packages()) {
            for (String s : List.of(p.name(), p.arch())) {
                string(out, s);
            }
            out.writeLong(p.epoch());
            for (String s : List.of(p.version(), p.release(), p.location(), p.sha256())) {
                string(out, s);
            }
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
        out.writeInt(index.retired().size());
        for (YumRepository.Retired r : index.retired()) {
            string(out, r.location());
            out.writeLong(r.generation());
        }
    }

    static YumRepository.Index read(DataInputStream in, String source) throws IOException {
        if (in.readLong() != MAGIC) {
            throw new IOException(source + " is not a Cutter yum index (bad magic)");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException(source + " has format " + format + ", this Cutter reads format " + FORMAT);
        }
        long generation = in.readLong();
        int count = in.readInt();
        List<YumPackage> packages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
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
                int size = in.readInt();
                List<YumPackage.Dependency> list = new ArrayList<>(size);
                for (int j = 0; j < size; j++) {
                    list.add(new YumPackage.Dependency(string(in), string(in), string(in), string(in), string(in),
                            in.readBoolean()));
                }
                deps.add(list);
            }
            int fileCount = in.readInt();
            List<YumPackage.PackagedFile> files = new ArrayList<>(fileCount);
            for (int j = 0; j < fileCount; j++) {
                files.add(new YumPackage.PackagedFile(string(in), string(in)));
            }
            int changelogCount = in.readInt();
            List<YumPackage.Changelog> changelogs = new ArrayList<>(changelogCount);
            for (int j = 0; j < changelogCount; j++) {
                changelogs.add(new YumPackage.Changelog(string(in), in.readLong(), string(in)));
            }
            packages.add(new YumPackage(name, arch, epoch, version, release, location, sha256, n[0], n[1], n[2], n[3],
                    n[4], n[5], n[6], t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], deps.get(0), deps.get(1),
                    deps.get(2), deps.get(3), deps.get(4), deps.get(5), deps.get(6), deps.get(7), files, changelogs));
        }
        int retiredCount = in.readInt();
        List<YumRepository.Retired> retired = new ArrayList<>(retiredCount);
        for (int i = 0; i < retiredCount; i++) {
            retired.add(new YumRepository.Retired(string(in), in.readLong()));
        }
        return new YumRepository.Index(FORMAT, generation, packages, retired);
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
