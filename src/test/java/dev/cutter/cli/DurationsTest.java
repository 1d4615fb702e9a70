package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.plan.PlanException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void secondsAndHoursMinutesSecondsAreDurations() {
        assertThat(Durations.parse("--wait", "90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("--wait", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void anythingElseIsBadInputNamingTheOption() {
        for (String text : new String[] {"", "x", "-5", "1.5s", "99999999999999999999999", "99999999999999999999999h"}) {
            assertThatThrownBy(() -> Durations.parse("--wait", text)).as(text).isInstanceOf(PlanException.class)
                    .hasMessageStartingWith("--wait " + text + " is not a duration");
        }
    }
}
