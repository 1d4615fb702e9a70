package dev.cutter.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceDateEpochTest {
    @Test
    void secondsSince1970AreTheBuildsTime() {
        assertThat(SourceDateEpoch.of(Map.of("SOURCE_DATE_EPOCH", "1767323045"))).contains(Instant.ofEpochSecond(1767323045L));
        assertThat(SourceDateEpoch.of(Map.of("SOURCE_DATE_EPOCH", "0"))).contains(Instant.EPOCH);
    }

    @Test
    void anythingElseIsNoTimeRatherThanAFailure() {
        assertThat(SourceDateEpoch.of(Map.of())).isEmpty();
        for (String value : new String[] {"", "-1", "1.5", " 17", "17 ", "x", "99999999999999999999999", "9999999999999999"}) {
            assertThat(SourceDateEpoch.of(Map.of("SOURCE_DATE_EPOCH", value))).as(value).isEmpty();
        }
    }
}
