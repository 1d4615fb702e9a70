package dev.cutter.server;

import dev.cutter.ledger.JobRecord;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.LogLine;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunSearch;
import dev.cutter.ledger.RunState;
import io.javalin.http.sse.SseClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Live state from the ledger, whoever writes it: a run started by this server, by the CLI on the
 * same file, or by another host on a shared ledger. One poller per watched run reads what changed
 * since its last look — the run's row, its jobs (a few dozen rows), and its log lines after the
 * last seq seen (the primary key) — and fans the differences out to every watcher of that run,
 * so two hundred watchers cost the ledger what one does. A global poller does the same for run
 * states. Nothing is polled while nobody watches.
 *
 * <p>Events of a run's stream: {@code run} (its state), {@code job} (a job's state, attempts,
 * times), {@code log} (one line, its seq as the event id) and {@code end} once the run is final
 * and everything was sent; then the stream closes. The global stream sends {@code run} events.
 */
final class Feeds implements AutoCloseable {
    static final Duration RUN_POLL = Duration.ofMillis(250);
    static final Duration GLOBAL_POLL = Duration.ofMillis(500);
    /** How far back the global poller looks for finished runs (covers clocks of other hosts a little off). */
    static final Duration GLOBAL_WINDOW = Duration.ofSeconds(30);
    private static final int LOG_PAGE = 1000;
    private static final int LOG_LINES_PER_POLL = 5000;

    private final Ledger ledger;
    private final RunSearch search;
    private final Answers answers;
    private final Clock clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cutter-feeds");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, RunFeed> runs = new ConcurrentHashMap<>();
    private final List<Watcher> global = new CopyOnWriteArrayList<>();
    private final Map<String, RunState> known = new HashMap<>();
    /** Every stream whose sending thread still runs, finished or not. */
    private final Set<Watcher> open = ConcurrentHashMap.newKeySet();

    Feeds(Ledger ledger, RunSearch search, Answers answers, Clock clock) {
        this.ledger = ledger;
        this.search = search;
        this.answers = answers;
        this.clock = clock;
        ticker.scheduleWithFixedDelay(this::pollRuns, RUN_POLL.toMillis(), RUN_POLL.toMillis(), TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::pollGlobal, GLOBAL_POLL.toMillis(), GLOBAL_POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Streams run {@code runId} to {@code client}: what is known now, then every change, log lines after {@code afterSeq}. */
    void watchRun(String runId, SseClient client, long afterSeq) {
        client.keepAlive();
        Watcher watcher = opened(client, afterSeq);
        // joined inside compute, so the poller cannot drop the feed between its creation and the join
        runs.compute(runId, (id, feed) -> {
            RunFeed f = feed == null ? new RunFeed(id) : feed;
            f.join(watcher);
            return f;
        });
    }

    /** Streams every run's state changes to {@code client}. */
    void watchAll(SseClient client) {
        client.keepAlive();
        global.add(opened(client, 0));
    }

    private Watcher opened(SseClient client, long afterSeq) {
        Watcher watcher = new Watcher(client, afterSeq, open::remove);
        open.add(watcher);
        return watcher.start();
    }

    /** How many streams still have a thread sending, for the tests. */
    int sending() {
        return open.size();
    }

    /** How many streams are open, for the tests and the status line. */
    int watchers() {
        return global.size() + runs.values().stream().mapToInt(f -> f.watchers.size()).sum();
    }

    private void pollRuns() {
        for (RunFeed feed : runs.values()) {
            try {
                feed.poll();
            } catch (RuntimeException e) {
                feed.fail(e); // the ledger is unreachable for now: watchers reconnect and try again
            }
            runs.computeIfPresent(feed.runId, (id, f) -> f.idle() ? null : f);
        }
    }

    private void pollGlobal() {
        global.removeIf(Watcher::closed);
        if (global.isEmpty()) {
            known.clear();
            return;
        }
        try {
            Instant now = clock.instant();
            Map<String, RunState> seen = new HashMap<>();
            for (Run run : search.runsChangedSince(now.minus(GLOBAL_WINDOW))) {
                seen.put(run.id(), run.state());
                if (known.get(run.id()) != run.state()) {
                    Watcher.Event event = new Watcher.Event("run", answers.toJson(Views.run(run, now)), null);
                    global.forEach(w -> w.offer(event));
                }
            }
            known.clear();
            known.putAll(seen);
        } catch (RuntimeException e) {
            global.forEach(Watcher::finish);
            global.clear();
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        global.forEach(Watcher::finish);
        runs.values().forEach(f -> f.watchers.forEach(Watcher::finish));
    }

    /** The state of one run as last read, and who watches it. Every method runs under its lock. */
    private final class RunFeed {
        final String runId;
        final List<Watcher> watchers = new ArrayList<>();
        final Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
        Map<String, Object> run;
        long lastSeq;
        boolean ended;
        boolean missing;

        RunFeed(String runId) {
            this.runId = runId;
        }

        synchronized void join(Watcher watcher) {
            if (run == null && !missing) {
                poll(); // the first watcher: read the run now rather than on the next tick
            }
            if (missing) {
                watcher.offer(event("error", Map.of("error", "no run " + runId + " in the ledger"), null));
                watcher.finish();
                return;
            }
            watcher.offer(event("run", run, null));
            jobs.values().forEach(j -> watcher.offer(event("job", j, null)));
            long seq = watcher.afterSeq();
            while (seq < lastSeq) { // the lines this watcher has not seen and the feed has sent already
                List<LogLine> page = ledger.logs(runId, Optional.empty(), seq, LOG_PAGE);
                for (LogLine line : page) {
                    if (line.seq() <= lastSeq) {
                        watcher.offer(event("log", Views.log(line), Long.toString(line.seq())));
                    }
                    seq = line.seq();
                }
                if (page.size() < LOG_PAGE) {
                    break;
                }
            }
            if (ended) {
                watcher.offer(event("end", Map.of("state", run.get("state")), null));
                watcher.finish();
                return;
            }
            watchers.add(watcher);
        }

        synchronized void poll() {
            watchers.removeIf(Watcher::closed);
            Optional<Run> current = ledger.run(runId);
            if (current.isEmpty()) {
                missing = true;
                return;
            }
            List<Watcher.Event> events = new ArrayList<>();
            for (JobRecord job : ledger.jobs(runId)) {
                Map<String, Object> view = Views.job(job);
                if (!view.equals(jobs.put(job.jobId(), view))) {
                    events.add(event("job", view, null));
                }
            }
            int lines = 0;
            boolean more = true;
            while (more && lines < LOG_LINES_PER_POLL) {
                List<LogLine> page = ledger.logs(runId, Optional.empty(), lastSeq, LOG_PAGE);
                for (LogLine line : page) {
                    events.add(event("log", Views.log(line), Long.toString(line.seq())));
                    lastSeq = line.seq();
                }
                lines += page.size();
                more = page.size() == LOG_PAGE;
            }
            Map<String, Object> view = Views.run(current.get(), clock.instant());
            if (run == null || !view.get("state").equals(run.get("state"))) {
                events.add(event("run", view, null));
            }
            run = view;
            // final, and every line written before the end was read: nothing more will come
            boolean done = current.get().state().isFinal() && !more;
            if (done) {
                events.add(event("end", Map.of("state", view.get("state")), null));
            }
            for (Watcher w : watchers) {
                for (Watcher.Event e : events) {
                    if (!e.name().equals("log") || Long.parseLong(e.id()) > w.afterSeq()) {
                        w.offer(e);
                    }
                }
                if (done) {
                    w.finish();
                }
            }
            if (done) {
                ended = true;
                watchers.clear();
            }
        }

        synchronized void fail(RuntimeException e) {
            Watcher.Event event = event("error", Map.of("error", String.valueOf(e.getMessage())), null);
            watchers.forEach(w -> {
                w.offer(event);
                w.finish();
            });
            watchers.clear();
            run = null;
        }

        synchronized boolean idle() {
            watchers.removeIf(Watcher::closed);
            return watchers.isEmpty();
        }

        private Watcher.Event event(String name, Object data, String id) {
            return new Watcher.Event(name, answers.toJson(data), id);
        }
    }
}
