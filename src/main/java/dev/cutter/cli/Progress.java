package dev.cutter.cli;

import dev.cutter.ledger.JobState;
import dev.cutter.plan.Job;
import dev.cutter.run.RunListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a run as it goes: on a terminal a live table of the jobs in progress redrawn in place;
 * elsewhere (CI, pipes) one timestamped line per event, which logs keep readable.
 */
final class Progress implements RunListener, AutoCloseable {
    private final PrintWriter out;
    private final boolean live;
    private final boolean verbose;
    private final Map<String, Instant> running = new LinkedHashMap<>();
    private final ScheduledExecutorService redraw;
    private int drawnLines;

    Progress(PrintWriter out, boolean live, boolean verbose) {
        this.out = out;
        this.live = live;
        this.verbose = verbose;
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

    @Override
    public synchronized void jobStarted(Job job, int attempt) {
        running.put(job.id(), Instant.now());
        if (!live) {
            line(job.id() + " started" + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
        }
    }

    @Override
    public synchronized void jobFinished(Job job, JobState state, String detail, Duration elapsed) {
        running.remove(job.id());
        String word = switch (state) {
            case SUCCEEDED -> "done";
            case SKIPPED -> "skipped";
            case FAILED -> "FAILED";
            case CANCELLED -> "cancelled";
            case PENDING, RUNNING -> throw new IllegalArgumentException(job.id() + " has not finished: " + state);
        };
        String text = String.format("%-9s %s%s%s", word, job.id(), elapsed.isZero() ? "" : " (" + format(elapsed) + ")",
                detail == null || detail.isEmpty() ? "" : ": " + detail);
        if (live) {
            clear();
            out.println(text);
            out.flush();
        } else {
            line(text);
        }
    }

    @Override
    public synchronized void retrying(Job job, int attempt, Duration delay, String why) {
        String text = job.id() + " attempt " + attempt + " failed (" + why + "); retrying in " + format(delay);
        if (live) {
            clear();
            out.println(text);
        } else {
            line(text);
        }
    }

    @Override
    public synchronized void targetNote(String target, String note) {
        String text = target + ": " + note;
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
        out.println(DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)) + " " + text);
        out.flush();
    }

    private synchronized void draw() {
        clear();
        Instant now = Instant.now();
        for (Map.Entry<String, Instant> e : running.entrySet()) {
            out.println(String.format("  running  %-60s %8s", e.getKey(), format(Duration.between(e.getValue(), now))));
            drawnLines++;
        }
        out.flush();
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
