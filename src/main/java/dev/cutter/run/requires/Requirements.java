package dev.cutter.run.requires;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Waits for requirements, all at once: each is looked at, and while it is missing looked at
 * again after 1 s, 2 s, 4 s… (at most {@link #LONGEST_PAUSE} apart, never past its wait) until it
 * appears or its {@code wait:} has passed. What it waits for is told as it starts waiting, and
 * when it appears. Bounded: nothing is looked at once a requirement's wait is over, and a look
 * is given at most {@link #LOOK_WITHIN}, so the whole wait ends within the longest {@code wait:}
 * and that.
 */
public final class Requirements {
    /** The longest pause between two looks at one requirement: an upstream that appears is seen within it. */
    public static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
    /** The longest one look may take: the targets' questions are given as long. */
    public static final Duration LOOK_WITHIN = Duration.ofSeconds(30);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    /** Looks run on threads of their own, so one that hangs can be left (never closed: its threads are virtual). */
    private static final java.util.concurrent.ExecutorService LOOKS = Executors.newVirtualThreadPerTaskExecutor();

    private final Clock clock;
    private final Duration lookWithin;

    /** Time as the waiting sees it: a monotonic now and a pause; tests give their own. */
    public interface Clock {
        long nanoTime();

        void sleep(Duration pause) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration pause) throws InterruptedException {
                Thread.sleep(pause);
            }
        };
    }

    /** Waiting on {@code clock}, each look given at most {@code lookWithin}. */
    public Requirements(Clock clock, Duration lookWithin) {
        this.clock = clock;
        this.lookWithin = lookWithin;
    }

    /** Waits on the system's clock. */
    public static Requirements waiting() {
        return new Requirements(Clock.SYSTEM, LOOK_WITHIN);
    }

    /**
     * How one requirement ended.
     *
     * @param found what was found, when it appeared
     * @param why   why it is missing otherwise (not there, or the last failure to look)
     * @param looks how many times it was looked at
     */
    public record Result(Requirement requirement, Optional<String> found, String why, int looks) {
        public boolean met() {
            return found.isPresent();
        }
    }

    /**
     * Waits for every one of {@code requirements}, at once.
     *
     * @param notes hears what a requirement waits for and when it appeared: (requirement, text)
     * @return each one's result, in the order given
     */
    public List<Result> await(List<Requirement> requirements, BiConsumer<String, String> notes) throws InterruptedException {
        Map<String, Requirement> distinct = new LinkedHashMap<>();
        requirements.forEach(r -> distinct.putIfAbsent(r.what(), r));
        List<Result> results = new ArrayList<>();
        try (var waiting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Result>> each = new ArrayList<>();
            for (Requirement r : distinct.values()) {
                each.add(waiting.submit(() -> one(r, notes)));
            }
            for (Future<Result> f : each) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        return results;
    }

    /** The message naming every requirement of {@code results} that is missing, or empty when all are met. */
    public static Optional<String> missing(List<Result> results) {
        List<String> lines = results.stream().filter(r -> !r.met())
                .map(r -> r.requirement().what() + ": " + r.why()).toList();
        return lines.isEmpty() ? Optional.empty() : Optional.of("an upstream release this release requires is not there;"
                + " nothing was done:\n  " + String.join("\n  ", lines));
    }

    private Result one(Requirement r, BiConsumer<String, String> notes) throws InterruptedException {
        long start = clock.nanoTime();
        long deadline = start + r.upTo().toNanos();
        Duration pause = FIRST_PAUSE;
        int looks = 0;
        String why;
        while (true) {
            looks++;
            try {
                Optional<String> found = lookWithin(r.look());
                if (found.isPresent()) {
                    if (looks > 1) {
                        notes.accept(r.what(), "there after " + seconds(clock.nanoTime() - start) + " (" + found.get() + ")");
                    }
                    return new Result(r, found, "", looks);
                }
                why = "not there";
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                why = e.getMessage() != null ? e.getMessage() : e.toString();
            }
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                boolean absent = why.equals("not there");
                String waited = r.upTo().isZero() ? (absent ? "not there" : "no answer") + " (no wait: given; add e.g. wait: 30m to wait for it)"
                        : (absent ? "not there" : "no answer") + " after waiting " + format(r.upTo()) + " ("
                        + (looks == 1 ? "looked once" : "looked " + looks + " times") + ")";
                return new Result(r, Optional.empty(), absent ? waited : waited + "; the last: " + why, looks);
            }
            if (looks == 1) {
                notes.accept(r.what(), (why.equals("not there") ? "not there yet" : why) + "; waiting up to " + format(r.upTo())
                        + ", looking again after 1 s, 2 s, 4 s… (at most every " + LONGEST_PAUSE.toSeconds() + " s)");
            }
            clock.sleep(Duration.ofNanos(Math.min(pause.toNanos(), left)));
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    /**
     * One look, given at most {@link #LOOK_WITHIN}: a remote that takes longer (its own retries, a
     * hanging connection) is left, so the wait ends within its {@code wait:} and one such time.
     */
    private Optional<String> lookWithin(Requirement.Look look) throws Exception {
        Future<Optional<String>> answer = LOOKS.submit(look::found);
        try {
            return answer.get(lookWithin.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new IOException("no answer within " + format(lookWithin));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String seconds(long nanos) {
        return Math.round(nanos / 1e9) + " s";
    }

    /** {@code 30m}, {@code 1h30m}, {@code 90s} as a spec writes it. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            out.append(s % 3600 / 60).append('m');
        }
        if (s % 60 > 0 || out.isEmpty()) {
            out.append(s % 60).append('s');
        }
        return out.toString();
    }
}
