package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.pkg.deb.SampleDebs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutter repo index} and {@code repo add} are whole processes measured against C tools
 * (bench/repo-index.sh), so a class they load and do not use is start-up time: unsigned, they
 * load no JSON library (their output is text), no OpenPGP library and no git library. Each runs
 * in a JVM of its own that logs the classes it loads. Of Jackson, only the type {@code --json}'s
 * {@code JsonOption.mapper()} returns and its supertypes are loaded, not initialised: picocli reads
 * the methods of every option class, and a method's return type is loaded with it.
 */
class RepoLoadsOnlyWhatItUsesTest {
    private static final List<String> UNUSED = List.of("com.fasterxml.jackson.", "org.bouncycastle.", "org.eclipse.jgit.");
    private static final List<String> SIGNATURE_ONLY = List.of("com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.core.ObjectCodec", "com.fasterxml.jackson.core.TreeCodec", "com.fasterxml.jackson.core.Versioned");

    @TempDir
    Path tmp;

    @Test
    void anUnsignedIndexAndAddLoadNoJsonOpenPgpOrGitLibrary() throws Exception {
        Path pool = Files.createDirectories(tmp.resolve("apt/pool/main"));
        SampleDebs.write(pool, "tool", "1.0", "amd64");
        Path newcomer = SampleDebs.write(Files.createDirectories(tmp.resolve("new")), "tool", "1.1", "amd64");

        assertThat(ClassesLoaded.by(tmp, "repo", "index", "--dir", tmp.resolve("apt").toString(), "--type", "apt", "--compression", "gz"))
                .as("unused classes that repo index loaded").filteredOn(RepoLoadsOnlyWhatItUsesTest::unused).isEmpty();
        assertThat(ClassesLoaded.by(tmp, "repo", "add", "--dir", tmp.resolve("apt").toString(), "--compression", "gz", newcomer.toString()))
                .as("unused classes that repo add loaded").filteredOn(RepoLoadsOnlyWhatItUsesTest::unused).isEmpty();
        assertThat(tmp.resolve("apt/dists/stable/main/binary-amd64/Packages")).content().contains("Version: 1.1");
    }

    private static boolean unused(String className) {
        return UNUSED.stream().anyMatch(className::startsWith) && !SIGNATURE_ONLY.contains(className);
    }
}
