package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command's help at 80 columns, byte for byte as recorded: a change in how the commands are
 * put together (their mixins, the bases they share) changes no option name, default, description
 * or layout. A change that means to change a help rewrites the files with
 * {@code -Dgolden.update=true} and shows the difference in its commit.
 */
class HelpGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/dev/cutter/cli/help");

    static List<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        all.add(List.of());
        all.addAll(CommandLineTest.everySubcommand());
        return all;
    }

    @ParameterizedTest(name = "cutter {0} --help")
    @MethodSource("commands")
    void theHelpOfEachCommandIsAsRecorded(List<String> command) throws IOException {
        String help = CommandLineTest.helpAt(80, command);
        List<String> name = new ArrayList<>(List.of("cutter"));
        name.addAll(command);
        Path golden = GOLDEN.resolve(String.join("_", name) + ".txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, help);
        }
        assertThat(help).isEqualTo(Files.readString(golden));
    }
}
