package dev.cutter.run.jobs;

import dev.cutter.plan.Action;
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
        handlers.put("build", JobHandler.of(Action.Build.class, new BuildJob(environment)));       // run: commands; outputs hashed; cached by declared inputs
        handlers.put("image", JobHandler.of(Action.Image.class, new ImageJobs.Image(registries)));  // one platform: file layer + config + manifest, no daemon
        handlers.put("index", JobHandler.of(Action.Index.class, new ImageJobs.Index()));            // the multi-arch index over the platforms
        handlers.put("source", JobHandler.of(Action.Source.class, new ImageJobs.Source(registries))); // a promotion: the candidate's index fetched, not rebuilt
        handlers.put("push", JobHandler.of(Action.Push.class, publish::push));                           // index and blobs into the target; tag laws applied
        handlers.put("replicate", JobHandler.of(Action.Replicate.class, publish::replicate));                      // the same, digest for digest, into each replica
        handlers.put("archive", JobHandler.of(Action.Archive.class, new ArchiveJob()));               // reproducible tar.gz / tar.zst / zip from globs
        handlers.put("fetch", JobHandler.of(Action.Fetch.class, new FetchJob(environment, http)));                   // a promotion: the candidate's archive or package taken as published
        handlers.put("checksums", JobHandler.of(Action.Checksums.class, new ChecksumsJob()));           // SHA256SUMS over archives and packages
        handlers.put("sign", JobHandler.of(Action.Sign.class, new SignJob()));                     // detached OpenPGP signatures, reproducible
        handlers.put("package", JobHandler.of(Action.Package.class, new PackageJob()));               // .deb / .rpm from build outputs and metadata, reproducible
        handlers.put("repository", JobHandler.of(Action.Repository.class, new RepositoryJob()));         // signed apt / yum repository, new packages added, atomic
        handlers.put("pin", JobHandler.of(Action.Pin.class, new PinJob(registries)));             // a value set in place in a file of the checkout, formatting kept
        handlers.put("tag", JobHandler.of(Action.Tag.class, new TagJob(registries, environment))); // pins committed, module tag pushed (never moved), pins reverted
        handlers.put("release", JobHandler.of(Action.Release.class, new ReleaseJob(environment, http)));               // assets into a release store, atomically, never half
        handlers.put("validate", JobHandler.of(Action.Validate.class, new ValidateJob(environment, http, registries))); // checks after publication; they gate promotion
        handlers.put("notify", JobHandler.of(Action.Notify.class, new NotifyJob(http)));             // webhooks with the outcome, whatever it was
        return java.util.Collections.unmodifiableMap(handlers);
    }
}
