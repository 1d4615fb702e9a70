package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutter --version} is measured against {@code java -version} (bench/startup.sh): the top
 * command's model is built without reading annotations, whose instances are proxy classes the JVM
 * generates at run time (no class-data archive holds them; about a third of the version's start),
 * no subcommand's class is loaded, and it ends without {@code Runtime.exit}, whose logging of the
 * exit looks for a {@code System.Logger} provider in every jar on the class path.
 */
class VersionStartsWithoutReflectionTest {
    @TempDir
    Path tmp;

    @Test
    void theVersionDefinesNoProxyAndLoadsNoSubcommand() throws Exception {
        var classes = ClassesLoaded.by(tmp, "--version");
        assertThat(classes).as("annotation proxies defined by cutter --version").noneMatch(name -> name.contains("$Proxy"));
        assertThat(classes).as("subcommands loaded by cutter --version")
                .noneMatch(name -> name.startsWith("dev.cutter.cli.") && name.endsWith("Command"));
        assertThat(classes).as("the exit's logger look-up").doesNotContain("jdk.internal.logger.BootstrapLogger$DetectBackend");
        assertThat(classes).contains(Cutter.class.getName());
    }
}
