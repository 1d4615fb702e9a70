package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.cli.Cutter;
import dev.cutter.testing.LocalRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cutter copy --batch FILE`: many images, each a fan-out, in one process. */
class CopyBatchTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result cutter(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cutter.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void everyLineIsCopiedToEachOfItsTargetsAndARerunSendsNothing() throws Exception {
        try (LocalRegistry a = LocalRegistry.start(); LocalRegistry b = LocalRegistry.start()) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built one = Sample.build(tmp.resolve("one"), layout.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
            Sample.Built two = Sample.build(tmp.resolve("two"), layout.blobs(), FileTime.fromMillis(1_500_000_000_000L), "rwxr-xr-x");
            layout.tag("one", one.index());
            layout.tag("two", two.index());
            Path batch = tmp.resolve("mirror.txt");
            Files.writeString(batch, """
                    # source                 targets
                    oci:%1$s:one  %2$s/acme/one:1  %3$s/acme/one:1

                    oci:%1$s:two  %2$s/acme/two:1   # only one target
                    """.formatted(tmp.resolve("build"), a.address(), b.address()));

            Result first = cutter("copy", "--batch", batch.toString());
            Result again = cutter("copy", "--batch", batch.toString(), "--jobs", "1");

            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out().lines()).hasSize(3).allMatch(l -> !l.endsWith("(0 blobs sent)"));
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(again.out().lines()).hasSize(3).allMatch(l -> l.endsWith("(0 blobs sent)"));
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + b.address() + "/acme/one:1"))
                    .isEqualTo(Files.readString(layout.blob(one.index().digest())));
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + a.address() + "/acme/two:1"))
                    .isEqualTo(Files.readString(layout.blob(two.index().digest())));
        }
    }

    @Test
    void aLineWithoutATargetIsNamedByFileAndLineAndNothingIsCopied() throws Exception {
        Path batch = tmp.resolve("mirror.txt");
        Files.writeString(batch, "oci:" + tmp + "/a:1 oci:" + tmp + "/b:1\noci:" + tmp + "/a:2\n");

        Result result = cutter("copy", "--batch", batch.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains(batch + ":2: a copy needs a source and at least one destination");
        assertThat(tmp.resolve("b")).doesNotExist();
    }

    @Test
    void imagesOnTheCommandLineAndInABatchAreRefusedTogether() throws Exception {
        Path batch = tmp.resolve("mirror.txt");
        Files.writeString(batch, "oci:" + tmp + "/a:1 oci:" + tmp + "/b:1\n");

        Result result = cutter("copy", "--batch", batch.toString(), "oci:" + tmp + "/c:1", "oci:" + tmp + "/d:1");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("not both");
    }
}
