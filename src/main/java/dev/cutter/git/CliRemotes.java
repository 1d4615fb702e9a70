package dev.cutter.git;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Remotes through the git program, for ssh remotes ({@code ssh://…}, {@code git@host:path}): git
 * then uses the user's ssh exactly as for any other git command — ssh-agent, ~/.ssh/config,
 * known_hosts, core.sshCommand, GIT_SSH_COMMAND. Runs in the repository's directory.
 */
final class CliRemotes implements Remotes {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private final GitCli git;

    CliRemotes(GitCli git) {
        this.git = git;
    }

    @Override
    public Map<String, RemoteRef> refs(String url) {
        GitCli.Result r = git.run(TIMEOUT, "", List.of("ls-remote", "--", url));
        if (!r.ok()) {
            throw failed(url, "list the refs of", r);
        }
        Map<String, ObjectId> ids = new HashMap<>();
        Map<String, ObjectId> peeled = new HashMap<>();
        for (String line : r.out().split("\n")) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            ObjectId id = ObjectId.fromString(line.substring(0, tab));
            String name = line.substring(tab + 1);
            if (name.endsWith("^{}")) {
                peeled.put(name.substring(0, name.length() - 3), id);
            } else {
                ids.put(name, id);
            }
        }
        Map<String, RemoteRef> refs = new TreeMap<>();
        // ls-remote always prints the peeled line for a tag object, so no line means not a tag object
        ids.forEach((name, id) -> refs.put(name, new RemoteRef(name, id, peeled.getOrDefault(name, id))));
        return refs;
    }

    @Override
    public Outcome push(String url, String src, ObjectId id, String dst, ObjectId expectedOld) {
        List<String> args = new ArrayList<>(List.of("push", "--porcelain", "--no-verify"));
        // no --force and no lease (a lease would force when it holds): git sends the old value it saw
        // and the remote refuses if the ref changed since; git never updates an existing tag unforced
        args.add("--");
        args.add(url);
        args.add(id.name() + ":" + dst);
        GitCli.Result r = git.run(TIMEOUT, "", args);
        for (String line : r.out().split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 2 && f[1].endsWith(":" + dst)) {
                return switch (f[0]) {
                    case "=" -> new Outcome(Status.UP_TO_DATE, "");
                    case "!" -> new Outcome(Status.REJECTED, f.length > 2 ? f[2] : "rejected");
                    default -> new Outcome(Status.OK, "");
                };
            }
        }
        if (!r.ok()) {
            throw failed(url, "push " + dst + " to", r);
        }
        return new Outcome(Status.OK, "");
    }

    @Override
    public void fetch(String url, List<String> refspecs) {
        List<String> args = new ArrayList<>(List.of("fetch", "--no-tags", "--no-write-fetch-head", "--", url));
        args.addAll(refspecs);
        GitCli.Result r = git.run(TIMEOUT, "", args);
        if (!r.ok()) {
            throw failed(url, "fetch " + refspecs + " from", r);
        }
    }

    private static GitException failed(String url, String what, GitCli.Result r) {
        String safe = GitRepository.redact(url);
        String err = r.err().strip().replace(url, safe);
        boolean reach = err.contains("Could not read from remote") || err.contains("Permission denied")
                || err.contains("Host key verification failed") || err.contains("Could not resolve hostname")
                || err.contains("Connection refused") || err.contains("Authentication failed");
        String message = "cannot " + what + " " + safe + " (git exited " + r.exit() + "): " + err;
        return reach ? new GitRemoteException(safe, err.contains("Permission denied") || err.contains("Authentication failed"),
                message + "; check that `git ls-remote " + safe + "` works in this shell (ssh-agent, ~/.ssh/config)", null)
                : new GitException(message);
    }
}
