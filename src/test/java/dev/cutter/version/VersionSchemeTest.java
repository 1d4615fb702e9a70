package dev.cutter.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionSchemeTest {

    @Test
    void schemesAreFoundByTheirConfigurationNames() {
        assertThat(VersionScheme.of("semver")).isEqualTo(VersionScheme.SEMVER);
        assertThat(VersionScheme.of("loose")).isEqualTo(VersionScheme.LOOSE);
        assertThat(VersionScheme.of("SemVer")).isEqualTo(VersionScheme.SEMVER);
        assertThat(VersionScheme.SEMVER.configName()).isEqualTo("semver");
        assertThat(VersionScheme.LOOSE.configName()).isEqualTo("loose");
    }

    @Test
    void unknownSchemeNameListsTheValidNames() {
        assertThatThrownBy(() -> VersionScheme.of("calver"))
                .isInstanceOf(VersionException.class)
                .hasMessage("unknown version scheme \"calver\"; valid schemes are semver, loose");
    }

    @Test
    void eachSchemeParsesItsOwnKindOfVersion() {
        assertThat(VersionScheme.SEMVER.parse("1.2.3")).isEqualTo(SemVer.of(1, 2, 3));
        assertThat(VersionScheme.LOOSE.parse("1.2.3")).isEqualTo(LooseVersion.of(1, 2, 3));
        assertThat(VersionScheme.LOOSE.parse("0.10-daily")).isInstanceOf(LooseVersion.class);
    }

    @Test
    void semverSchemeRejectsLooseVersions() {
        assertThatThrownBy(() -> VersionScheme.SEMVER.parse("0.10-daily"))
                .isInstanceOf(VersionException.class)
                .hasMessage("\"0.10-daily\" is not a semantic version: it has 2 of the three numbers"
                        + " MAJOR.MINOR.PATCH; write 0.10.0-daily");
    }
}
