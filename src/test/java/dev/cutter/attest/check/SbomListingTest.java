package dev.cutter.attest.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.attest.Provenance;
import dev.cutter.content.Digest;
import dev.cutter.sbom.CycloneDx;
import dev.cutter.sbom.Sbom;
import dev.cutter.sbom.SbomFile;
import dev.cutter.sbom.Spdx;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading back what Cutter's SBOMs and provenance say, and telling what differs from the files found. */
class SbomListingTest {
    private static final Digest SUBJECT = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
    private static final Digest HELLO = Digest.sha256("hello\n".getBytes(StandardCharsets.UTF_8));
    private static final Digest BYE = Digest.sha256("bye\n".getBytes(StandardCharsets.UTF_8));

    private static Sbom sbom() {
        return new Sbom("image", "acme/app", "1.0.0", SUBJECT, Instant.EPOCH, new Sbom.Tool("cutter", "dev"),
                List.of(new SbomFile("srv/hello.txt", HELLO, "0".repeat(40), 6), new SbomFile("srv/bye.txt", BYE, "0".repeat(40), 4)),
                List.of(), Optional.empty());
    }

    @Test
    void readsTheFilesAndSubjectOfBothFormatsAsTheyAreWritten() {
        for (SbomListing listing : List.of(SbomListing.read(CycloneDx.write(sbom()), CycloneDx.MEDIA_TYPE),
                SbomListing.read(Spdx.write(sbom()), Spdx.MEDIA_TYPE))) {
            assertThat(listing.subject()).isEqualTo(SUBJECT.hex());
            assertThat(listing.files()).isEqualTo(Map.of("srv/hello.txt", HELLO.hex(), "srv/bye.txt", BYE.hex()));
        }
    }

    @Test
    void namesEachFileListedWithAnotherDigestMissingOrLeftOut() {
        SbomListing listing = SbomListing.read(CycloneDx.write(sbom()), CycloneDx.MEDIA_TYPE);
        assertThat(listing.differences(Map.of("srv/hello.txt", HELLO.hex(), "srv/bye.txt", BYE.hex()))).isEmpty();
        assertThat(listing.differences(Map.of("srv/hello.txt", BYE.hex(), "srv/extra", HELLO.hex()))).containsExactly(
                "srv/bye.txt is in the SBOM but not in the layers",
                "srv/extra is in the layers (sha256:" + HELLO.hex() + ") but not in the SBOM",
                "srv/hello.txt is sha256:" + HELLO.hex() + " in the SBOM but sha256:" + BYE.hex() + " in the layers");
    }

    @Test
    void refusesWhatIsNotAnSbomOfTheFormatItsTypeNames() {
        assertThatThrownBy(() -> SbomListing.read("{}".getBytes(StandardCharsets.UTF_8), CycloneDx.MEDIA_TYPE))
                .hasMessageContaining("not a CycloneDX document");
        assertThatThrownBy(() -> SbomListing.read(CycloneDx.write(sbom()), Spdx.MEDIA_TYPE)).hasMessageContaining("not an SPDX document");
        assertThatThrownBy(() -> SbomListing.read("[".getBytes(StandardCharsets.UTF_8), Spdx.MEDIA_TYPE)).hasMessageContaining("not JSON");
    }

    @Test
    void readsWhatAProvenanceSaysOfItsRun() {
        Provenance provenance = new Provenance(List.of(new Provenance.Subject("acme/app", SUBJECT)), "dev", "cutter.yaml", HELLO, BYE,
                "1.0.0", "v1.0.0", "stable", Optional.of("abc"), Optional.empty(), Map.of(), List.of(), "r1", Instant.EPOCH,
                Instant.EPOCH);
        StatementFacts facts = StatementFacts.read(provenance.statement());
        assertThat(facts).isEqualTo(new StatementFacts(Map.of("acme/app", SUBJECT.hex()), HELLO.toString(), BYE.toString(), "1.0.0",
                "v1.0.0", Optional.of("abc"), "r1"));
        assertThatThrownBy(() -> StatementFacts.read("{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not SLSA provenance v1");
    }
}
