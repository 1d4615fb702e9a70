package dev.cutter.server;

import dev.cutter.app.Services;
import dev.cutter.git.Checkout;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Cancellation;
import dev.cutter.run.Outcome;
import dev.cutter.run.RunListener;
import dev.cutter.run.RunOptions;
import dev.cutter.spec.Spec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts releases and promotions in this process, as {@code cutter release} and {@code cutter
 * promote} do (each on a ledger connection of its own), and answers as soon as the run holds its
 * claim: the caller gets the run's id and watches it like any other. Keeps each running run's
 * {@link Cancellation}, so the API can cancel what this server started.
 */
final class Launcher implements AutoCloseable {
    /** How long a start request waits for planning and the claim before it answers anyway. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);

    /**
     * What a start request got: {@code STARTED} with the run's id, or how the release ended
     * before it started (nothing to do, refused by a law) with the Releaser's message.
     */
    record Start(String status, Optional<String> runId, String message) {}

    private final String ledgerLocation;
    private final Services services;
    private final Map<String, Cancellation> running = new ConcurrentHashMap<>();
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();

    Launcher(String ledgerLocation, Services services) {
        this.ledgerLocation = ledgerLocation;
        this.services = services;
    }

    /** Today as {@code {date}} renders it here ({@code SOURCE_DATE_EPOCH} when set). */
    String date() {
        return services.date();
    }

    /** The request a tag or version amounts to here: the checkout's HEAD and today's date, as the CLI finds them. */
    ReleaseRequest request(Spec spec, Optional<String> tag, Optional<String> version, Map<String, String> vars,
            Map<String, List<String>> only, Optional<String> sha) {
        return new ReleaseRequest(tag, version, vars, only, Optional.empty(), sha.or(() -> Checkout.headSha(spec.directory())),
                services.date());
    }

    Start release(Spec spec, ReleaseRequest request) throws InterruptedException {
        return launch(false, (listener, cancellation) -> services.withLedger(ledgerLocation, ledger -> services
                .releaser(ledger, listener, cancellation, false).release(spec, request, RunOptions.defaults())));
    }

    Start promote(Spec spec, ReleaseRequest from, ReleaseRequest to, boolean force) throws InterruptedException {
        return launch(false, (listener, cancellation) -> services.withLedger(ledgerLocation, ledger -> services
                .promoter(ledger, listener, cancellation).promote(spec, from, to, force, RunOptions.defaults()).outcome()));
    }

    /**
     * A pull request's build (a trigger's {@code do: build}): everything is made, nothing is
     * published or claimed, and the run goes to a throwaway ledger, as {@code --build-only} does.
     */
    Start build(Spec spec, ReleaseRequest request) throws InterruptedException {
        Start start = launch(true, (listener, cancellation) -> services.withThrowawayLedger(ledger -> services
                .releaser(ledger, listener, cancellation, false).release(spec, request, RunOptions.defaults().buildingOnly(true))));
        return new Start(start.status().equals("started") ? "building" : start.status(), Optional.empty(),
                start.status().equals("started") ? "building " + spec.project() + " " + request.tag().or(request::version).orElse("")
                        + "; nothing is published, and the run is not recorded" : start.message());
    }

    /** Whether this server runs {@code runId} now, and so can cancel it. */
    boolean runsHere(String runId) {
        return running.containsKey(runId);
    }

    /** Cancels a run this server runs; false when it runs elsewhere or no more. */
    boolean cancel(String runId, String why) {
        Cancellation c = running.get(runId);
        if (c == null) {
            return false;
        }
        c.cancel(why);
        return true;
    }

    @FunctionalInterface
    private interface Work {
        Outcome run(RunListener listener, Cancellation cancellation) throws InterruptedException;
    }

    private Start launch(boolean scratch, Work work) throws InterruptedException {
        CompletableFuture<Start> answer = new CompletableFuture<>();
        Cancellation cancellation = new Cancellation();
        String[] id = new String[1];
        RunListener listener = new RunListener() {
            @Override
            public void runStarted(String runId) {
                id[0] = runId;
                if (!scratch) {
                    running.put(runId, cancellation);
                }
                answer.complete(new Start("started", Optional.of(runId), "run " + runId + " started"));
            }
        };
        Thread thread = Thread.ofPlatform().name("cutter-release").daemon(false).unstarted(() -> {
            try {
                Outcome outcome = work.run(listener, cancellation);
                answer.complete(new Start(Views.lower(outcome.status()), Optional.ofNullable(outcome.runId()), outcome.message()));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            } finally {
                if (id[0] != null) {
                    running.remove(id[0]);
                }
                threads.remove(Thread.currentThread().getName());
            }
        });
        thread.setName("cutter-release-" + thread.threadId());
        threads.put(thread.getName(), thread);
        thread.start();
        try {
            return answer.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            return new Start("pending", Optional.empty(), "the release is still being planned after "
                    + ANSWER_WITHIN.toSeconds() + " s; it starts when the plan is ready (watch /api/events)");
        }
    }

    /** Cancels what runs here and waits for the ledger to record it, as Ctrl-C does for the CLI. */
    @Override
    public void close() {
        running.values().forEach(c -> c.cancel("the server is stopping"));
        for (Thread t : List.copyOf(threads.values())) {
            try {
                t.join(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
