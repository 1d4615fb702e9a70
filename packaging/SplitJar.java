import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The shaded jar as two: MAIN.jar with the entries under the given prefixes (Cutter's classes and
 * resources, picocli) and a manifest naming LIBS.jar in its {@code Class-Path}, and LIBS.jar with
 * every other entry (the libraries).
 *
 * <p>Why: every start opens the jar it runs and reads its whole central directory, one entry at a
 * time, before {@code main}: for the shaded jar's 20,000 entries that was about 20 ms of a 100 ms
 * {@code cutter --version}. The class loader opens a jar of the {@code Class-Path} only when a
 * class or resource is not found before it, so a command that needs no library (the version, help,
 * a plan) reads a directory of about 1,400 entries, and one that does reads the libraries' once, as
 * before.
 *
 * <p>Each entry is copied as it is, in the same order with the same times; each jar's manifest
 * comes first with the time the original's had, so the pair is as reproducible as the jar. MAIN's
 * manifest is the original's (main class, version, native access) plus the class path; LIBS' says
 * only what a library jar needs ({@code Multi-Release}, when the original said it).
 *
 * <p>Usage: {@code java packaging/SplitJar.java IN.jar MAIN.jar LIBS.jar PREFIX...}; prints how
 * many entries went to each.
 */
public final class SplitJar {
    private SplitJar() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: SplitJar IN.jar MAIN.jar LIBS.jar PREFIX...");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path main = Path.of(args[1]);
        Path libs = Path.of(args[2]);
        List<String> prefixes = List.of(args).subList(3, args.length);
        int toMain = 0;
        int toLibs = 0;
        try (JarFile jar = new JarFile(in.toFile(), false);
                OutputStream mainFile = Files.newOutputStream(main);
                ZipOutputStream mainJar = new ZipOutputStream(mainFile);
                OutputStream libsFile = Files.newOutputStream(libs);
                ZipOutputStream libsJar = new ZipOutputStream(libsFile)) {
            JarEntry manifestEntry = jar.getJarEntry(JarFile.MANIFEST_NAME);
            Manifest original = jar.getManifest();
            if (manifestEntry == null || original == null) {
                System.err.println("SplitJar: " + in + " has no manifest");
                System.exit(2);
            }
            Manifest mainManifest = new Manifest(original);
            mainManifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, libs.getFileName().toString());
            mainManifest.getMainAttributes().remove(Attributes.Name.MULTI_RELEASE);
            Manifest libsManifest = new Manifest();
            libsManifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            String multiRelease = original.getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE);
            if (multiRelease != null) {
                libsManifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, multiRelease);
            }
            writeManifest(mainJar, mainManifest, manifestEntry.getTime());
            writeManifest(libsJar, libsManifest, manifestEntry.getTime());
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                boolean ours = prefixes.stream().anyMatch(entry.getName()::startsWith);
                ZipEntry written = new ZipEntry(entry.getName());
                written.setTime(entry.getTime());
                if (entry.getExtra() != null) {
                    written.setExtra(entry.getExtra());
                }
                ZipOutputStream to = ours ? mainJar : libsJar;
                to.putNextEntry(written);
                try (InputStream data = jar.getInputStream(entry)) {
                    data.transferTo(to);
                }
                to.closeEntry();
                if (ours) {
                    toMain++;
                } else {
                    toLibs++;
                }
            }
        }
        System.out.println(toMain + " entries in " + main.getFileName() + ", " + toLibs + " in " + libs.getFileName());
    }

    private static void writeManifest(ZipOutputStream jar, Manifest manifest, long time) throws IOException {
        ZipEntry entry = new ZipEntry(JarFile.MANIFEST_NAME);
        entry.setTime(time);
        jar.putNextEntry(entry);
        manifest.write(jar);
        jar.closeEntry();
    }
}
