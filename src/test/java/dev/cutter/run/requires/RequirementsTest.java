package dev.cutter.run.requires;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Waiting for upstream releases: looked at again with backoff, bounded by each one's wait, all told by name. */
class RequirementsTest {
    /** A clock whose pauses pass at once, recorded. */
    static final class StepClock implements Requirements.Clock {
        long now;
        final List<Duration> pauses = new ArrayList<>();

        @Override
        public synchronized long nanoTime() {
            return now;
        }

        @Override
        public synchronized void sleep(Duration pause) {
            pauses.add(pause);
            now += pause.toNanos();
        }
    }

    final StepClock clock = new StepClock();
    final List<String> notes = new ArrayList<>();

    private List<Requirements.Result> await(Requirement... requirements) throws InterruptedException {
        return new Requirements(clock, Duration.ofSeconds(1)).await(List.of(requirements), (what, note) -> {
            synchronized (notes) {
                notes.add(what + ": " + note);
            }
        });
    }

    @Test
    void aRequirementThatAppearsWhileWaitingIsMetAndToldWhenItCame() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        Requirement tag = new Requirement("git tag v1 of upstream", Duration.ofMinutes(30),
                () -> looks.incrementAndGet() < 4 ? Optional.empty() : Optional.of("at 0123456789ab"));

        List<Requirements.Result> results = await(tag);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.met()).isTrue();
            assertThat(r.found()).contains("at 0123456789ab");
            assertThat(r.looks()).isEqualTo(4);
        });
        assertThat(clock.pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(notes).containsExactly(
                "git tag v1 of upstream: not there yet; waiting up to 30m, looking again after 1 s, 2 s, 4 s… (at most every 30 s)",
                "git tag v1 of upstream: there after 7 s (at 0123456789ab)");
        assertThat(Requirements.missing(results)).isEmpty();
    }

    @Test
    void oneThatNeverAppearsEndsWhenItsWaitIsOverWithPausesThatNeverPassIt() throws Exception {
        Requirement image = new Requirement("image reg/op:v1", Duration.ofMinutes(2), Optional::empty);

        List<Requirements.Result> results = await(image);

        assertThat(results.get(0).met()).isFalse();
        assertThat(clock.pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(29));
        assertThat(Duration.ofNanos(clock.now)).isEqualTo(Duration.ofMinutes(2));
        assertThat(Requirements.missing(results)).contains("an upstream release this release requires is not there; nothing was"
                + " done:\n  image reg/op:v1: not there after waiting 2m (looked 9 times)");
    }

    @Test
    void withoutAWaitItMustBeThereAtTheFirstLook() throws Exception {
        List<Requirements.Result> results = await(new Requirement("release v1 of github:acme/lib", Duration.ZERO, Optional::empty));

        assertThat(results.get(0).looks()).isEqualTo(1);
        assertThat(clock.pauses).isEmpty();
        assertThat(notes).isEmpty();
        assertThat(Requirements.missing(results).orElseThrow())
                .endsWith("release v1 of github:acme/lib: not there (no wait: given; add e.g. wait: 30m to wait for it)");
    }

    @Test
    void anUpstreamThatDoesNotAnswerIsAskedAgainAndItsLastAnswerTold() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        Requirement remote = new Requirement("git tag v1 of git://127.0.0.1:1/x", Duration.ofSeconds(10), () -> {
            throw new IOException("connection refused (" + looks.incrementAndGet() + ")");
        });

        List<Requirements.Result> results = await(remote);

        assertThat(results.get(0).looks()).isEqualTo(looks.get()).isGreaterThan(1);
        assertThat(notes.get(0)).startsWith("git tag v1 of git://127.0.0.1:1/x: connection refused (1); waiting up to 10s");
        assertThat(Requirements.missing(results).orElseThrow())
                .contains("git tag v1 of git://127.0.0.1:1/x: no answer after waiting 10s (looked " + looks.get() + " times); the last:"
                        + " connection refused (" + looks.get() + ")");
    }

    @Test
    void aLookThatHangsIsLeftAfterItsTimeSoTheWaitStaysBounded() throws Exception {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        Requirement hanging = new Requirement("image r/hangs:v1", Duration.ZERO, () -> {
            never.await();
            return Optional.of("never");
        });
        long start = System.nanoTime();

        List<Requirements.Result> results = await(hanging);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(Requirements.missing(results).orElseThrow()).contains("image r/hangs:v1: no answer (no wait: given")
                .contains("the last: no answer within 1s");
    }

    @Test
    void everyMissingOneIsNamedAndTheSameOneIsWaitedForOnce() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        Requirement there = new Requirement("git tag v1 of a", Duration.ZERO, () -> Optional.of("at 1"));
        Requirement missing = new Requirement("git tag v2 of b", Duration.ZERO, () -> {
            looks.incrementAndGet();
            return Optional.empty();
        });
        Requirement missingToo = new Requirement("image r/c:v3", Duration.ZERO, Optional::empty);

        List<Requirements.Result> results = await(there, missing, missingToo, missing);

        assertThat(results).hasSize(3);
        assertThat(looks).hasValue(1);
        assertThat(Requirements.missing(results).orElseThrow()).doesNotContain("of a").contains("git tag v2 of b: not there")
                .contains("image r/c:v3: not there");
    }

    @Test
    void waitsAreWrittenAsTheSpecWritesThem() {
        assertThat(Requirements.format(Duration.ofMinutes(30))).isEqualTo("30m");
        assertThat(Requirements.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Requirements.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(Requirements.format(Duration.ofSeconds(3661))).isEqualTo("1h1m1s");
    }
}
