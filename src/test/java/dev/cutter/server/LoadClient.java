package dev.cutter.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load test's second process (JDK classes only, started with the test classes alone on its
 * class path): {@code WATCHERS} event streams of one run and {@code READERS} API readers in a loop
 * while the run goes on. Bounded: readers stop when every watcher saw the end, after
 * {@code MAX_REQUESTS} requests, or after {@code SECONDS}. Prints one summary line and exits 0
 * only when nothing failed and every watcher saw the run finish.
 *
 * <p>Usage: {@code LoadClient URL TOKEN RUN WATCHERS READERS SECONDS}
 */
public final class LoadClient {
    static final int MAX_REQUESTS = 50_000;

    private LoadClient() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        String run = args[2];
        int watchers = Integer.parseInt(args[3]);
        int readers = Integer.parseInt(args[4]);
        Duration limit = Duration.ofSeconds(Long.parseLong(args[5]));
        long deadline = System.nanoTime() + limit.toNanos();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch streams = new CountDownLatch(watchers);

        for (int i = 0; i < watchers; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    List<SseStream.Event> events = SseStream.read(http, url + "/api/runs/" + run + "/events", token, limit,
                            e -> e.name().equals("end"));
                    if (!events.isEmpty() && events.getLast().name().equals("end") && events.getLast().data().contains("succeeded")) {
                        finished.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                        problems.add("a stream ended without the run's end: " + (events.isEmpty() ? "no events" : events.getLast()));
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    problems.add("stream: " + e);
                } finally {
                    streams.countDown();
                }
            });
        }
        String[] paths = {"/api/runs", "/api/runs/" + run, "/api/runs/" + run + "/jobs", "/api/runs/" + run + "/logs",
                "/api/releases/demo/9.0.0"};
        CountDownLatch reading = new CountDownLatch(readers);
        for (int i = 0; i < readers; i++) {
            int offset = i;
            Thread.ofVirtual().start(() -> {
                try {
                    for (int n = offset; streams.getCount() > 0 && System.nanoTime() < deadline && requests.incrementAndGet() <= MAX_REQUESTS; n++) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(url + paths[n % paths.length]))
                                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                            latencies.add(System.nanoTime() - start);
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                                problems.add(paths[n % paths.length] + " answered " + r.statusCode());
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            problems.add(paths[n % paths.length] + ": " + e);
                        }
                    }
                } finally {
                    reading.countDown();
                }
            });
        }
        boolean ended = streams.await(limit.toSeconds() + 10, TimeUnit.SECONDS);
        reading.await(40, TimeUnit.SECONDS);
        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        Collections.sort(sorted);
        System.out.printf("watchers=%d finished=%d readers=%d requests=%d errors=%d p50=%.1fms p99=%.1fms max=%.1fms%n", watchers,
                finished.get(), readers, sorted.size(), errors.get(), percentile(sorted, 0.50), percentile(sorted, 0.99),
                percentile(sorted, 1.0));
        problems.stream().limit(10).forEach(p -> System.out.println("problem: " + p));
        System.exit(ended && errors.get() == 0 && finished.get() == watchers && !sorted.isEmpty() ? 0 : 1);
    }

    static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p * sorted.size()) - 1));
        return sorted.get(index) / 1e6;
    }
}
