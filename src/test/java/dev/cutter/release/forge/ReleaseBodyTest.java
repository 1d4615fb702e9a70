package dev.cutter.release.forge;

import static dev.cutter.release.Fixtures.T0;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import dev.cutter.release.AssetInfo;
import dev.cutter.release.ReleaseInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseBodyTest {
    static final ReleaseInfo RELEASE = new ReleaseInfo("v0.9-beta", "km", "0.9-beta", "beta", "v0.9-beta", Optional.of("4f1c0ffee"),
            T0, List.of(new AssetInfo("kontain.tar.gz", Digest.sha256("km".getBytes(UTF_8)), 2, Optional.of(1))), false);

    @Test
    void theNotesComeFirstAndTheMetadataFollowsInAHiddenComment() {
        String body = ReleaseBody.render("Changes since v0.8-beta.\n\n- fix: a thing\n", RELEASE);

        assertThat(body).startsWith("Changes since v0.8-beta.\n\n- fix: a thing\n\n\n<!-- cutter-release\n{\n  \"project\": \"km\",")
                .endsWith("}\n-->\n");
        ReleaseBody.Parsed parsed = ReleaseBody.parse("v0.9-beta", body, "test");
        assertThat(parsed.notes()).isEqualTo("Changes since v0.8-beta.\n\n- fix: a thing\n");
        assertThat(parsed.release()).contains(RELEASE);
        assertThat(parsed.problem()).isEmpty();
    }

    @Test
    void readsBackWhatForgesDoToABodyLineEndsAndTrimmedEnds() {
        String empty = ReleaseBody.render("", RELEASE);

        assertThat(ReleaseBody.parse("v0.9-beta", empty.strip(), "test").release()).contains(RELEASE);
        assertThat(ReleaseBody.parse("v0.9-beta", empty.strip(), "test").notes()).isEmpty();
        ReleaseBody.Parsed crlf = ReleaseBody.parse("v0.9-beta", ReleaseBody.render("a\nb\n", RELEASE).replace("\n", "\r\n"), "test");
        assertThat(crlf.notes()).isEqualTo("a\nb\n");
        assertThat(crlf.release()).contains(RELEASE);
    }

    @Test
    void aDoubleHyphenInTheMetadataCannotCloseTheCommentEarly() {
        ReleaseInfo dashed = new ReleaseInfo("v1--rc", "my--app-->x", "1", "stable", "v1--rc", Optional.empty(), T0, List.of(), false);

        String body = ReleaseBody.render("notes", dashed);

        String block = body.substring(body.indexOf(ReleaseBody.OPENING) + ReleaseBody.OPENING.length(), body.lastIndexOf("-->"));
        assertThat(block).doesNotContain("--");
        assertThat(ReleaseBody.parse("v1--rc", body, "test").release()).contains(dashed);
    }

    @Test
    void theLastBlockIsCuttersEvenWhenTheNotesQuoteOne() {
        String quoting = "How it works:\n\n<!-- cutter-release\n{}\n-->\n";

        ReleaseBody.Parsed parsed = ReleaseBody.parse("v0.9-beta", ReleaseBody.render(quoting, RELEASE), "test");

        assertThat(parsed.notes()).isEqualTo(quoting);
        assertThat(parsed.release()).contains(RELEASE);
    }

    @Test
    void aBodyWithoutABlockOrWithADamagedOneSaysSo() {
        assertThat(ReleaseBody.parse("v1", "Made on the web", "test").problem())
                .contains("it was not published by Cutter (its notes have no cutter-release block)");
        assertThat(ReleaseBody.parse("v1", "notes\n\n<!-- cutter-release\n{\"project\": \"km\"}\n", "test").problem())
                .contains("its cutter-release block is not closed with -->");
        assertThat(ReleaseBody.parse("v1", "notes\n\n<!-- cutter-release\n{\"project\": \"km\"}\n-->", "github:acme/app release v1")
                .problem()).hasValueSatisfying(p -> assertThat(p).startsWith("github:acme/app release v1: not a release: assets is missing"));
    }
}
