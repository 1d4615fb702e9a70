package dev.cutter.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one rule for project files, as the jobs apply it at run time to files builds made. */
@org.junit.jupiter.api.Tag("security")
class ProjectPathsTest {
    @TempDir
    Path project;

    @Test
    void resolvesAFileInsideTheProject() throws Exception {
        Files.createDirectories(project.resolve("dist"));
        Files.writeString(project.resolve("dist/app"), "x");

        assertThat(ProjectPaths.resolve(project, "dist/../dist/app")).isEqualTo(project.resolve("dist/app"));
    }

    @Test
    void refusesAPathThatClimbsOutOrIsAbsolute() {
        assertThatThrownBy(() -> ProjectPaths.resolve(project, "dist/../../x"))
                .isInstanceOf(ProjectPaths.OutsideProjectException.class).hasMessageContaining("leads outside the project");
        assertThatThrownBy(() -> ProjectPaths.resolve(project, "/etc/passwd"))
                .isInstanceOf(ProjectPaths.OutsideProjectException.class).hasMessageContaining("absolute");
    }

    @Test
    void refusesAFileALinkMadeAfterValidationLeadsOutTo() throws Exception {
        Path outside = Files.createTempDirectory("outside");
        Files.writeString(outside.resolve("secret"), "s");
        Files.createDirectories(project.resolve("dist"));
        Files.createSymbolicLink(project.resolve("dist/app"), outside.resolve("secret"));
        Files.createSymbolicLink(project.resolve("out"), outside);

        assertThatThrownBy(() -> ProjectPaths.resolve(project, "dist/app")).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> ProjectPaths.resolve(project, "out/not-yet-there")).hasMessageContaining("symbolic link");
    }

    @Test
    void aFileNameForDistIsOneNameWithoutDirectories() {
        assertThat(ProjectPaths.fileNameProblem("app-1.0.tar.gz")).isEmpty();
        assertThat(ProjectPaths.fileNameProblem("../app.tar.gz")).isPresent();
        assertThat(ProjectPaths.fileNameProblem("/tmp/app.tar.gz")).isPresent();
        assertThat(ProjectPaths.fileNameProblem("..")).isPresent();
    }
}
