package dev.cutter.cli;

import dev.cutter.ledger.JobState;
import dev.cutter.plan.Job;
import dev.cutter.run.RunListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a run as it goes: on a terminal a live table of the jobs in progress redrawn in place,
 * each row clipped to the terminal's width (a row that wrapped could not be erased) and an overall
 * count under it, with about how long the rest will take at the pace of the jobs finished so far
 * (the run's elapsed time per finished job, times the jobs left); elsewhere (CI, pipes, {@code TERM=dumb}) one timestamped line per event, which
 * logs keep readable. Every finished job is told with the count of finished jobs of the run. It
 * keeps the last lines of each job's (masked) output, for the summary of a job that failed.
 */
final class Progress implements RunListener, AutoCloseable {
    private final PrintWriter out;
    private final boolean live;
    private final boolean verbose;
    private final int width;
    private final Map<String, Instant> running = new LinkedHashMap<>();
    private final Map<String, Deque<String>> tails = new HashMap<>();
    private final ScheduledExecutorService redraw;
    private final java.time.Clock clock;
    private final Instant start;
    private int drawnLines;
    private int total;
    private int finished;

    /** Progress on {@code out}, redrawn in place when {@code live}, with live rows at most {@code width} columns wide. */
    Progress(PrintWriter out, boolean live, boolean verbose, int width) {
        this(out, live, verbose, width, java.time.Clock.systemUTC());
    }

    /** As {@link #Progress(PrintWriter, boolean, boolean, int)}, its times read from {@code clock}. */
    Progress(PrintWriter out, boolean live, boolean verbose, int width, java.time.Clock clock) {
        this.clock = clock;
        this.start = clock.instant();
        this.out = out;
        this.live = live;
        this.verbose = verbose;
        this.width = Math.max(20, width);
        if (live) {
            redraw = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cutter-progress");
                t.setDaemon(true);
                return t;
            });
            redraw.scheduleAtFixedRate(this::draw, 250, 250, TimeUnit.MILLISECONDS);
        } else {
            redraw = null;
        }
    }

    /** Progress told as lines, never redrawn. */
    Progress(PrintWriter out, boolean live, boolean verbose) {
        this(out, live, verbose, 80);
    }

    @Override
    public synchronized void runStarted(String runId, int jobs) {
        total = jobs;
    }

    @Override
    public synchronized void jobStarted(Job job, int attempt) {
        running.put(job.id(), clock.instant());
        if (!live) {
            line(job.id() + " started" + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
        }
    }

    @Override
    public synchronized void jobFinished(Job job, JobState state, String detail, Duration elapsed) {
        running.remove(job.id());
        finished++;
        if (state != JobState.FAILED) {
            tails.remove(job.id());
        }
        String word = switch (state) {
            case SUCCEEDED -> "done";
            case SKIPPED -> "skipped";
            case FAILED -> "FAILED";
            case CANCELLED -> "cancelled";
            case PENDING, RUNNING -> throw new IllegalArgumentException(job.id() + " has not finished: " + state);
        };
        String text = String.format("%s%-9s %s%s%s", count(), word, job.id(), elapsed.isZero() ? "" : " (" + format(elapsed) + ")",
                detail == null || detail.isEmpty() ? "" : ": " + detail);
        tell(text);
    }

    @Override
    public synchronized void retrying(Job job, int attempt, Duration delay, String why) {
        tell(job.id() + " attempt " + attempt + " failed (" + why + "); retrying in " + format(delay));
    }

    @Override
    public synchronized void targetNote(String target, String note) {
        tell(target + ": " + note);
    }

    /** A line of its own: above the live table on a terminal (which is redrawn under it), timestamped elsewhere. */
    private void tell(String text) {
        if (live) {
            clear();
            out.println(text);
            out.flush();
        } else {
            line(text);
        }
    }

    @Override
    public synchronized void log(Job job, String stream, String text) {
        Deque<String> tail = tails.computeIfAbsent(job.id(), id -> new ArrayDeque<>());
        tail.addLast(text);
        if (tail.size() > RunOutput.TAIL) {
            tail.removeFirst();
        }
        if (verbose) {
            if (live) {
                clear();
                out.println("  " + job.id() + " | " + text);
            } else {
                line(job.id() + " | " + text);
            }
        }
    }

    private void line(String text) {
        out.println(DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)) + " " + text);
        out.flush();
    }

    /** The last {@code lines} lines {@code jobId} wrote (masked as the ledger keeps them), oldest first. */
    synchronized List<String> tail(String jobId, int lines) {
        List<String> tail = new ArrayList<>(tails.getOrDefault(jobId, new ArrayDeque<>()));
        return List.copyOf(tail.subList(Math.max(0, tail.size() - lines), tail.size()));
    }

    /** {@code [3/12] }: how many of the run's jobs have finished, once the run has said how many it has. */
    private String count() {
        return total > 0 ? "[" + finished + "/" + total + "] " : "";
    }

    private synchronized void draw() {
        clear();
        Instant now = clock.instant();
        for (Map.Entry<String, Instant> e : running.entrySet()) {
            out.println(row("  running  ", e.getKey(), format(Duration.between(e.getValue(), now))));
            drawnLines++;
        }
        if (total > 0) {
            Duration elapsed = Duration.between(start, now);
            out.println(clip("  " + finished + "/" + total + " done, " + running.size() + " running, " + format(elapsed)
                    + (finished > 0 && finished < total ? ", about " + format(elapsed.multipliedBy(total - finished)
                            .dividedBy(finished)) + " left" : "")));
            drawnLines++;
        }
        out.flush();
    }

    /** {@code prefix}, {@code id} and {@code time} in one row no wider than the terminal: a long id loses its middle. */
    private String row(String prefix, String id, String time) {
        int room = width - 1 - prefix.length() - time.length() - 2;
        String shown = id.length() <= room ? id
                : room < 8 ? id.substring(0, Math.max(0, room)) : id.substring(0, room / 2 - 1) + "…" + id.substring(id.length() - (room - room / 2));
        return clip(prefix + shown + "  " + time);
    }

    /** {@code text} cut to one column less than the terminal's width, so it never wraps into a line {@link #clear} would miss. */
    private String clip(String text) {
        return text.length() < width ? text : text.substring(0, width - 1);
    }

    /** Moves the cursor up over the live table and clears it. */
    private void clear() {
        if (live && drawnLines > 0) {
            out.print("\033[" + drawnLines + "A\033[J");
            drawnLines = 0;
        }
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        return s < 60 ? String.format("%.1fs", ms / 1000.0) : (s / 60) + "m" + String.format("%02d", s % 60) + "s";
    }

    @Override
    public synchronized void close() {
        if (redraw != null) {
            redraw.shutdownNow();
            clear();
            out.flush();
        }
    }
}
