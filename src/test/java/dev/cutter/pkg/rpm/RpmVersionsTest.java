package dev.cutter.pkg.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpmVersionsTest {
    /** Cases from rpm's own test suite (tests/rpmvercmp.at). */
    @ParameterizedTest
    @CsvSource({
        "1.0, 1.0, 0", "1.0, 2.0, -1", "2.0, 1.0, 1", "2.0.1, 2.0.1, 0", "2.0, 2.0.1, -1", "2.0.1a, 2.0.1, 1",
        "5.5p1, 5.5p2, -1", "5.5p10, 5.5p1, 1", "10xyz, 10.1xyz, -1", "xyz10, xyz10.1, -1", "xyz.4, 8, -1",
        "1.0010, 1.9, 1", "1.05, 1.5, 0", "1.0, 1, 1", "2.50, 2.5, 1", "fc4, fc.4, 0", "FC5, fc4, -1",
        "2a, 2.0, -1", "1.0a, 1.0.a, 0", "6.0.rc1, 6.0, 1", "10b2, 10a1, 1", "1.0aa, 1.0a, 1",
        "1.0~rc1, 1.0~rc1, 0", "1.0~rc1, 1.0, -1", "1.0~rc1, 1.0~rc2, -1", "1.0~rc1~git123, 1.0~rc1, -1",
        "1.0^, 1.0, 1", "1.0^git1, 1.0, 1", "1.0^git1, 1.01, -1", "1.0^20160101, 1.0.1, -1",
        "1.0^20160101^git1, 1.0^20160101, 1", "1.0~rc1^git1, 1.0~rc1, 1", "1.0^git1~pre, 1.0^git1, -1",
        "1.0~rc1^git1, 1.0, -1"
    })
    void comparesAsRpmvercmp(String a, String b, int expected) {
        assertThat(RpmVersions.compare(a, b)).isEqualTo(expected);
        assertThat(RpmVersions.compare(b, a)).isEqualTo(-expected);
    }

    @ParameterizedTest
    @CsvSource({"1:1.0-1, 2.0-1, 1", "1.0-2, 1.0-10, -1", "1.0, 1.0-5, 0", "0:1.0-1, 1.0-1, 0"})
    void evrComparesEpochThenVersionThenRelease(String a, String b, int expected) {
        assertThat(Integer.signum(Evr.parse(a).compareTo(Evr.parse(b)))).isEqualTo(expected);
    }
}
