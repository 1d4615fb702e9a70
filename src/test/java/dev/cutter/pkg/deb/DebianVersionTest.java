package dev.cutter.pkg.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.Tools;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebianVersionTest {
    /** Each strictly below the next in dpkg's order. */
    private static final List<String> ASCENDING = List.of(
            "0.9", "1.0~~", "1.0~~a", "1.0~", "1.0~rc1", "1.0~rc2", "1.0", "1.0-1", "1.0-1+b1", "1.0-1.1",
            "1.0-2~bpo1", "1.0-2", "1.0-10", "1.0a", "1.0+dfsg", "1.0.1", "1.00.2", "1.2", "1.10", "1:0.1", "2:0~beta");

    @Test
    void ordersAsDpkgDocuments() {
        for (int i = 0; i + 1 < ASCENDING.size(); i++) {
            assertThat(DebianVersion.compare(ASCENDING.get(i), ASCENDING.get(i + 1)))
                    .as("%s < %s", ASCENDING.get(i), ASCENDING.get(i + 1)).isNegative();
            assertThat(DebianVersion.compare(ASCENDING.get(i + 1), ASCENDING.get(i))).isPositive();
        }
        assertThat(DebianVersion.compare("1.0", "0:1.0")).isZero();
        assertThat(DebianVersion.compare("1.0", "1.0-0")).isZero();
        assertThat(DebianVersion.compare("1.01", "1.1")).isZero();
    }

    @Test
    void agreesWithDpkgCompareVersions() {
        Tools.require("dpkg", "dpkg");
        List<String> failures = new ArrayList<>();
        for (String a : ASCENDING) {
            for (String b : List.of("1.0", "1.0~rc1", "1:0.1", "1.0-1+b1", "1.0a")) {
                int ours = Integer.signum(DebianVersion.compare(a, b));
                String op = ours < 0 ? "lt" : ours == 0 ? "eq" : "gt";
                if (Run.run(List.of("dpkg", "--compare-versions", a, op, b)).exit() != 0) {
                    failures.add(a + " " + op + " " + b);
                }
            }
        }
        assertThat(failures).as("comparisons dpkg disagrees with").isEmpty();
    }

    @Test
    void splitsEpochUpstreamAndRevision() {
        assertThat(DebianVersion.parse("2:1.0-rc-3")).isEqualTo(new DebianVersion(2, "1.0-rc", "3"));
        assertThat(DebianVersion.parse("2:1.0-rc-3").withoutEpoch()).isEqualTo("1.0-rc-3");
        assertThat(DebianVersion.parse("1.2.0~rc1")).hasToString("1.2.0~rc1");
    }

    @Test
    void refusesWhatDpkgRefuses() {
        assertThatThrownBy(() -> DebianVersion.parse("v1.0")).hasMessageContaining("must start with a digit");
        assertThatThrownBy(() -> DebianVersion.parse("x:1.0")).hasMessageContaining("epoch");
        assertThatThrownBy(() -> DebianVersion.parse("1.0-")).hasMessageContaining("empty revision");
        assertThatThrownBy(() -> DebianVersion.parse("1.0_1")).hasMessageContaining("'_'");
    }
}
