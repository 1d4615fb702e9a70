package dev.cutter.pkg.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.pkg.rpm.RpmNames.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** rpm's grammar for the header tags that become a package's file name. */
@org.junit.jupiter.api.Tag("security")
class RpmNamesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"NAME, hello", "NAME, python3.12-libs", "NAME, gcc-c++", "NAME, perl_Foo", "VERSION, 1.0", "VERSION, 1.0~rc1^git3",
            "RELEASE, 1.el9", "ARCH, x86_64", "ARCH, noarch", "ARCH, aarch64"})
    void acceptsWhatRpmAllows(Tag tag, String value) {
        assertThat(RpmNames.problem(tag, value)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"NAME, ../../tmp/x", "NAME, .", "NAME, ..", "NAME, .hidden", "NAME, -x", "NAME, a/b", "VERSION, 1.0-1",
            "VERSION, 1/..", "RELEASE, 1/../x", "RELEASE, ''", "ARCH, ../x", "ARCH, x86-64", "ARCH, ''"})
    void refusesWhatWouldLeavePackagesOrBreaksTheGrammar(Tag tag, String value) {
        assertThat(RpmNames.problem(tag, value)).hasValueSatisfying(p -> assertThat(p).contains("is not an RPM"));
    }

    @Test
    void theWriterRefusesWhatTheReaderWouldBeforeWritingAnything() throws Exception {
        Path src = Files.writeString(dir.resolve("f"), "x");
        PackageMetadata hostile = new PackageMetadata("../../x", "1.0", "1", "x86_64", "s", "d", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), List.of(new PackageFile("/usr/bin/x", src, 0755, false)), Map.of(),
                RpmSamples.SOURCE_DATE);
        Path out = Files.createDirectories(dir.resolve("out/deep"));

        assertThatThrownBy(() -> new RpmWriter().write(hostile, out, TestStaging.in(dir))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("package name '../../x' is not an RPM package name (letters, digits and . _ + -, not starting with . or -)");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("f", "out");
        }
        assertThat(out).isEmptyDirectory();
    }
}
