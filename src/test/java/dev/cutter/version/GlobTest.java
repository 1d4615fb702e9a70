package dev.cutter.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void starMatchesAnyRunOfCharactersIncludingNone() {
        Glob glob = new Glob("*-rc*");

        assertThat(glob.matches("1.7.8-rc1")).isTrue();
        assertThat(glob.matches("-rc")).isTrue();
        assertThat(glob.matches("1.0.0-rc.1+build")).isTrue();
        assertThat(glob.matches("1.7.8")).isFalse();
        assertThat(glob.matches("1.7.8-beta")).isFalse();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        Glob glob = new Glob("1.?.0");

        assertThat(glob.matches("1.7.0")).isTrue();
        assertThat(glob.matches("1..0")).isFalse();
        assertThat(glob.matches("1.10.0")).isFalse();
        assertThat(new Glob("?").matches("\uD83D\uDE00")).as("one code point, two UTF-16 units").isTrue();
    }

    @Test
    void everyOtherCharacterIsLiteral() {
        assertThat(new Glob("1.2").matches("1.2")).isTrue();
        assertThat(new Glob("1.2").matches("1x2")).isFalse();
        assertThat(new Glob("a+").matches("aa")).isFalse();
        assertThat(new Glob("a+").matches("a+")).isTrue();
        assertThat(new Glob("[ab]").matches("a")).isFalse();
        assertThat(new Glob("\\*").matches("\\anything")).isTrue();
    }

    @Test
    void theWholeTextMustMatch() {
        assertThat(new Glob("1.2").matches("1.2.3")).isFalse();
        assertThat(new Glob("*.3").matches("1.2.3.4")).isFalse();
        assertThat(new Glob("").matches("")).isTrue();
        assertThat(new Glob("").matches("x")).isFalse();
    }

    @Test
    void laterStarsRetryAfterAFalseStart() {
        assertThat(new Glob("a*b*c").matches("aXbYc")).isTrue();
        assertThat(new Glob("a*b*c").matches("abcbcbc")).isTrue();
        assertThat(new Glob("a*b*c").matches("abcbcb")).isFalse();
        assertThat(new Glob("*a").matches("aaba")).isTrue();
        assertThat(new Glob("*ab").matches("aab")).isTrue();
        assertThat(new Glob("**?").matches("")).isFalse();
    }

    @Test
    void pathologicalPatternsFinishQuickly() {
        String text = "a".repeat(20_000);
        Glob glob = new Glob("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThat(glob.matches(text)).isFalse());
    }
}
