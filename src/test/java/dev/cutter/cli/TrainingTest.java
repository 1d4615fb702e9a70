package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command lines one training process runs. */
class TrainingTest {
    @Test
    void commandLinesAreCutAtEachSemicolonArgumentAndEmptyOnesAreLeftOut() {
        List<String[]> commands = Training.commands(new String[] {";", "repo", "index", "--dir", "a;b", ";", ";", "repo", "add", "x.deb", ";"});
        assertThat(commands).extracting(c -> String.join(" ", c)).containsExactly("repo index --dir a;b", "repo add x.deb");
    }
}
