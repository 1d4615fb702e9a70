package dev.cutter.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinsTest {
    @TempDir
    Path dir;

    @Test
    void editsAtomicallyKeepingPermissionsAndRevertsToTheSameBytes() throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Path file = checkout.resolve("versions.yaml");
        byte[] original = YamlKeyTest.VERSIONS.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        Files.write(file, original);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Pin pin = new Pin.YamlKey("git.kbs.tag");

        Pins.Edit edit = Pins.edit(file, pin, "v0.11.0", TestStaging.in(dir));
        assertThat(edit).isEqualTo(new Pins.Edit(file, pin, "v0.10.1", "v0.11.0", true, "'v0.10.1'"));
        assertThat(Files.readString(file)).contains("tag: 'v0.11.0'   # keep in sync");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(Files.list(checkout)).containsExactly(file); // no temporary file, ever: made in the staging

        Pins.revert(edit, TestStaging.in(dir));
        assertThat(Files.readAllBytes(file)).isEqualTo(original);
        Pins.revert(edit, TestStaging.in(dir)); // twice is harmless
        assertThat(Files.readAllBytes(file)).isEqualTo(original);
    }

    @Test
    void revertKeepsOtherEditsMadeMeanwhile() throws Exception {
        Path file = dir.resolve("go.mod");
        Files.writeString(file, GoRequireTest.GO_MOD);
        Pins.Edit kata = Pins.edit(file, new Pin.GoRequire(GoRequireTest.KATA), "v0.0.0-20241001093015-4d2e3e7a86b8", TestStaging.in(dir));
        Pins.Edit perks = Pins.edit(file, new Pin.GoRequire("github.com/beorn7/perks"), "v1.0.2", TestStaging.in(dir));
        Pins.revert(kata, TestStaging.in(dir));
        assertThat(Files.readString(file)).isEqualTo(GoRequireTest.GO_MOD.replace("perks v1.0.1", "perks v1.0.2"));
        Pins.revert(perks, TestStaging.in(dir));
        assertThat(Files.readString(file)).isEqualTo(GoRequireTest.GO_MOD);
    }

    @Test
    void keepsAByteOrderMarkAndWritesThroughSymlinks() throws Exception {
        Path real = dir.resolve("kustomization.yaml");
        byte[] original = ("\ufeff" + KustomizeImageTest.AZURE).getBytes(StandardCharsets.UTF_8);
        Files.write(real, original);
        Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), real.getFileName());
        Pins.Edit edit = Pins.edit(link, KustomizeImageTest.CAA_TAG, KustomizeImageTest.SHA, TestStaging.in(dir));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        byte[] edited = Files.readAllBytes(real);
        assertThat(edited).startsWith((byte) 0xef, (byte) 0xbb, (byte) 0xbf);
        assertThat(new String(edited, StandardCharsets.UTF_8)).contains("    newTag: " + KustomizeImageTest.SHA + "\n");
        Pins.revert(edit, TestStaging.in(dir));
        assertThat(Files.readAllBytes(real)).isEqualTo(original);

        Path utf16 = dir.resolve("utf16.yaml");
        byte[] bytes16 = "\ufeffa:\n  b: v1\n".getBytes(StandardCharsets.UTF_16LE);
        Files.write(utf16, bytes16);
        Pins.Edit e16 = Pins.edit(utf16, new Pin.YamlKey("a.b"), "v2", TestStaging.in(dir));
        assertThat(Files.readAllBytes(utf16)).isEqualTo("\ufeffa:\n  b: v2\n".getBytes(StandardCharsets.UTF_16LE));
        Pins.revert(e16, TestStaging.in(dir));
        assertThat(Files.readAllBytes(utf16)).isEqualTo(bytes16);
    }

    @Test
    void anUnchangedFileIsNotWritten() throws Exception {
        Path file = dir.resolve("versions.yaml");
        Files.writeString(file, YamlKeyTest.VERSIONS);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(file, old);
        Pins.Edit edit = Pins.edit(file, new Pin.YamlKey("git.kbs.tag"), "v0.10.1", TestStaging.in(dir));
        assertThat(edit.changed()).isFalse();
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(old);
        Pins.revert(edit, TestStaging.in(dir));
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(old);
    }

    @Test
    void errorsNameTheFile() throws Exception {
        Path file = dir.resolve("versions.yaml");
        Files.writeString(file, YamlKeyTest.VERSIONS);
        assertThatThrownBy(() -> Pins.edit(file, new Pin.YamlKey("git.kbs.ref"), "v1", TestStaging.in(dir))).isInstanceOf(PinException.class)
                .hasMessageStartingWith(file + ": yaml git.kbs.ref: no key 'ref' in 'git.kbs' (line 27)")
                .satisfies(e -> assertThat(((PinException) e).file()).contains(file));
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "a: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Pins.edit(latin1, new Pin.YamlKey("a"), "v1", TestStaging.in(dir))).isInstanceOf(PinException.class)
                .hasMessageContaining("not valid UTF-8 text");
        assertThat(Files.readAllBytes(latin1)).isEqualTo("a: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        Pins.Edit edit = Pins.edit(file, new Pin.YamlKey("git.kbs.tag"), "v0.11.0", TestStaging.in(dir));
        Files.writeString(file, Files.readString(file).replace("'v0.11.0'", "'v0.12.0'"));
        assertThatThrownBy(() -> Pins.revert(edit, TestStaging.in(dir))).isInstanceOf(PinException.class)
                .hasMessageContaining(file + ": yaml git.kbs.tag: cannot revert: 'git.kbs.tag' (line 29) is now 'v0.12.0', not the pinned 'v0.11.0'");
    }
}
