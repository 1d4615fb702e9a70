package dev.cutter.run.jobs;

import dev.cutter.run.JobHandler;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every job kind and what runs it: the whole release, read top to bottom. */
public final class Jobs {
    private Jobs() {}

    public static Map<String, JobHandler> handlers(Map<String, String> environment) {
        return handlers(environment, false);
    }

    /** @param forceFloating move floating tags even backwards ({@code --force-floating}) */
    public static Map<String, JobHandler> handlers(Map<String, String> environment, boolean forceFloating) {
        HttpClient http = dev.cutter.oci.RegistryClient.http();
        Registries registries = new Registries(http, environment); // one client per credentials: the run's jobs share tokens
        ImageJobs.Publish publish = new ImageJobs.Publish(forceFloating, registries);
        Map<String, JobHandler> handlers = new LinkedHashMap<>();
        handlers.put("build", new BuildJob(environment));       // run: commands; outputs hashed; cached by declared inputs
        handlers.put("image", new ImageJobs.Image(registries));  // one platform: file layer + config + manifest, no daemon
        handlers.put("index", new ImageJobs.Index());            // the multi-arch index over the platforms
        handlers.put("source", new ImageJobs.Source(registries)); // a promotion: the candidate's index fetched, not rebuilt
        handlers.put("push", publish);                           // index and blobs into the target; tag laws applied
        handlers.put("replicate", publish);                      // the same, digest for digest, into each replica
        handlers.put("archive", new ArchiveJob());               // reproducible tar.gz / tar.zst / zip from globs
        handlers.put("fetch", new FetchJob(environment, http));                   // a promotion: the candidate's archive or package taken as published
        handlers.put("checksums", new ChecksumsJob());           // SHA256SUMS over archives and packages
        handlers.put("sign", new SignJob());                     // detached OpenPGP signatures, reproducible
        handlers.put("package", new PackageJob());               // .deb / .rpm from build outputs and metadata, reproducible
        handlers.put("repository", new RepositoryJob());         // signed apt / yum repository, new packages added, atomic
        handlers.put("pin", new PinJob(registries));             // a value set in place in a file of the checkout, formatting kept
        handlers.put("tag", new TagJob(registries, environment)); // pins committed, module tag pushed (never moved), pins reverted
        handlers.put("release", new ReleaseJob(environment, http));               // assets into a release store, atomically, never half
        handlers.put("validate", new ValidateJob(environment, http, registries)); // checks after publication; they gate promotion
        handlers.put("notify", new NotifyJob(http));             // webhooks with the outcome, whatever it was
        return java.util.Collections.unmodifiableMap(handlers);
    }
}
