package dev.cutter.kinds.repository;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.run.JobHandler;
import dev.cutter.spec.Cell;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Repositories: signed apt / yum repositories, the new packages added, published atomically. */
public final class Repositories {
    private Repositories() {}

    public static final Capability CAPABILITY = new Capability("repositories", List.of(RepositorySection.SECTION),
            List.of(Repositories::plan),
            List.of(ActionText.of(Action.Repository.class, r -> r.type() + " → " + r.publish())),
            services -> {
                RepositoryJob job = new RepositoryJob();
                return List.of(JobHandler.of(Action.Repository.class, job, job::question));
            });

    /** One job per repository the channel targets, with the packages of its format that this plan builds. */
    private static void plan(Planning planning) {
        for (RepositorySpec repo : RepositorySection.SECTION.of(planning.spec())) {
            if (!planning.selected("repository", repo.id()) || !planning.targeted(repo.id())) {
                continue;
            }
            String format = repo.type().equals("apt") ? "deb" : "rpm";
            Needs needs = new Needs();
            List<String> files = new ArrayList<>();
            planning.jobs(Action.Package.class).filter(p -> p.action().format().equals(format) && repo.packages().contains(p.entry()))
                    .forEach(p -> {
                        needs.add(p.id());
                        files.add(p.action().file());
                    });
            if (files.isEmpty()) {
                continue; // every package it holds was filtered out
            }
            Cell none = Cell.EMPTY;
            planning.add("repository", repo.id(), none, List.of(), needs, Optional.empty(),
                    new Action.Repository(repo.type(), planning.render(repo.publish(), none), planning.render(repo.dist(), none),
                            planning.render(repo.component(), none), List.copyOf(files), repo.keep(), repo.byHash(),
                            repo.contents(), repo.compression(), planning.render(repo.signKey(), none),
                            planning.render(repo.signPassphrase(), none),
                            repo.ssh().map(s -> new Action.Ssh(planning.render(s.key(), none), planning.render(s.passphrase(), none),
                                    s.hostKey(), planning.render(s.knownHosts(), none))), planning.render(repo.url(), none)));
        }
    }
}
