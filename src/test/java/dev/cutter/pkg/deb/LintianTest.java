package dev.cutter.pkg.deb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.TestStaging;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lintian accepts the packages structurally. Policy findings that only a complete Debian package
 * would avoid are accepted, nothing else at error level:
 * <ul>
 *   <li>{@code no-copyright-file}, {@code no-changelog}: Cutter writes no /usr/share/doc/&lt;pkg&gt;/copyright
 *       or changelog.Debian.gz unless the package's files include them;
 * </ul>
 * and at warning level no tag about the archive itself (tar, ar, control member, ownership,
 * permissions or md5sums problems) may appear.
 */
@Tag("e2e")
class LintianTest {
    private static final Set<String> ACCEPTED_ERRORS = Set.of("no-copyright-file", "no-changelog");
    private static final List<String> STRUCTURAL = List.of("malformed", "bad-", "tar-", "ar-", "control-file",
            "md5sum", "wrong-file-owner", "permissions", "unknown-control", "not-a-debian", "corrupted",
            "timestamp", "conffile", "maintainer-script-lacks", "extended-description", "synopsis-is-empty",
            "no-", "invalid", "mismatch");
    private static final Set<String> ACCEPTED_WARNINGS = Set.of("no-manual-page", "description-synopsis-starts-with-article",
            "maintainer-script-empty");

    @TempDir
    Path tmp;

    @Test
    void lintianFindsNoStructuralProblem() throws IOException {
        Tools.require("lintian", "lintian");
        for (DebWriter.Compression c : DebWriter.Compression.values()) {
            PackageMetadata metadata = SampleDebs.metadata(tmp.resolve("src"), "hello", "1:2.0~rc1-1", "amd64");
            Path deb = tmp.resolve(c + "-" + DebWriter.fileName(metadata));
            new DebWriter(c, c).write(metadata, deb, TestStaging.in(tmp));
            Run.Result lintian = Run.run(List.of("lintian", "--allow-root", "--no-cfg", deb.toString()));
            List<String> tags = lintian.out().lines().filter(line -> line.matches("[EWIXP]: .*")).toList();
            assertThat(tags).as("lintian ran and reported (at least the missing copyright)%n%s", lintian.all())
                    .anyMatch(line -> line.contains("no-copyright-file"));
            for (String line : tags) {
                String level = line.substring(0, 1);
                String tag = line.replaceFirst("^[EWIXP]: [^:]+: ", "").split(" ")[0];
                if (level.equals("E")) {
                    assertThat(ACCEPTED_ERRORS).as("lintian error on the %s package: %s%n%s", c, line, lintian.all())
                            .contains(tag);
                } else if (level.equals("W") && !ACCEPTED_WARNINGS.contains(tag)) {
                    assertThat(STRUCTURAL).as("lintian warning on the %s package: %s%n%s", c, line, lintian.all())
                            .noneMatch(tag::contains);
                }
            }
            assertThat(lintian.exit()).as(lintian.all()).isIn(0, 1, 2);
        }
    }
}
