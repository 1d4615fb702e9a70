package dev.cutter.git;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/** Remotes over JGit's own transports: file://, local paths, git://, http(s):// (credentials from git's helpers). */
final class JGitRemotes implements Remotes {
    private static final int TIMEOUT_SECONDS = 120;
    private final Repository repository;
    private final GitCredentials credentials;

    JGitRemotes(Repository repository, GitCredentials credentials) {
        this.repository = repository;
        this.credentials = credentials;
    }

    @Override
    public Map<String, RemoteRef> refs(String url) {
        URIish uri = uri(url);
        try (Transport transport = open(uri); FetchConnection connection = transport.openFetch()) {
            Map<String, RemoteRef> refs = new TreeMap<>();
            for (Ref ref : connection.getRefs()) {
                ObjectId peeled = ref.isPeeled() ? (ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId()) : null;
                if (ref.getObjectId() != null) {
                    refs.put(ref.getName(), new RemoteRef(ref.getName(), ref.getObjectId(), peeled));
                }
            }
            credentials.approve(uri);
            return refs;
        } catch (org.eclipse.jgit.errors.TransportException e) {
            throw unreachable(url, "list the refs of", e);
        } catch (NotSupportedException e) {
            throw new GitException("git remote " + GitRepository.redact(url) + " uses a transport Cutter cannot speak: " + e.getMessage(), e);
        }
    }

    @Override
    public Outcome push(String url, String src, ObjectId id, String dst, ObjectId expectedOld) {
        URIish uri = uri(url);
        try (Transport transport = open(uri)) {
            RemoteRefUpdate update = new RemoteRefUpdate(repository, src, id, dst, false, null, expectedOld);
            org.eclipse.jgit.transport.PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
            credentials.approve(uri);
            RemoteRefUpdate done = result.getRemoteUpdate(dst);
            return switch (done.getStatus()) {
                case OK -> new Outcome(Status.OK, "");
                case UP_TO_DATE -> new Outcome(Status.UP_TO_DATE, "");
                default -> new Outcome(Status.REJECTED, done.getStatus() + (done.getMessage() == null ? "" : ": " + done.getMessage())
                        + (result.getMessages().isBlank() ? "" : " (" + result.getMessages().strip() + ")"));
            };
        } catch (org.eclipse.jgit.errors.TransportException e) {
            throw unreachable(url, "push " + dst + " to", e);
        } catch (IOException e) {
            throw new GitException("cannot push " + dst + " from " + repository.getDirectory() + " to " + GitRepository.redact(url)
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void fetch(String url, List<String> refspecs) {
        URIish uri = uri(url);
        try (Git git = Git.wrap(repository)) {
            FetchResult result = git.fetch().setRemote(url).setRefSpecs(refspecs.stream().map(RefSpec::new).toList())
                    .setTagOpt(TagOpt.NO_TAGS).setCredentialsProvider(credentials).setTimeout(TIMEOUT_SECONDS).call();
            credentials.approve(uri);
            for (TrackingRefUpdate u : result.getTrackingRefUpdates()) {
                RefUpdate.Result r = u.getResult();
                if (r == RefUpdate.Result.REJECTED || r == RefUpdate.Result.LOCK_FAILURE || r == RefUpdate.Result.IO_FAILURE
                        || r == RefUpdate.Result.REJECTED_CURRENT_BRANCH || r == RefUpdate.Result.REJECTED_MISSING_OBJECT
                        || r == RefUpdate.Result.REJECTED_OTHER_REASON) {
                    throw new GitException("fetching " + u.getRemoteName() + " from " + GitRepository.redact(url) + " into "
                            + u.getLocalName() + " of " + repository.getDirectory() + " was refused (" + r
                            + "): the local ref has diverged; prefix the refspec with + to overwrite it, or delete the local ref");
                }
            }
        } catch (TransportException e) {
            throw unreachable(url, "fetch from", e);
        } catch (GitAPIException e) {
            throw new GitException("cannot fetch " + refspecs + " from " + GitRepository.redact(url) + " into "
                    + repository.getDirectory() + ": " + e.getMessage(), e);
        }
    }

    private Transport open(URIish uri) {
        try {
            Transport transport = Transport.open(repository, uri);
            transport.setCredentialsProvider(credentials);
            transport.setTimeout(TIMEOUT_SECONDS);
            transport.setTagOpt(TagOpt.NO_TAGS);
            return transport;
        } catch (NotSupportedException e) {
            throw new GitException("git remote " + GitRepository.redact(uri.toString()) + " uses a transport Cutter cannot speak: " + e.getMessage(), e);
        } catch (org.eclipse.jgit.errors.TransportException e) {
            throw unreachable(uri.toString(), "open", e);
        }
    }

    private static URIish uri(String url) {
        try {
            return new URIish(url);
        } catch (URISyntaxException e) {
            throw new GitException("not a git remote URL: " + GitRepository.redact(url) + " (" + e.getMessage() + ")", e);
        }
    }

    private static GitRemoteException unreachable(String url, String what, Exception e) {
        String message = String.valueOf(e.getMessage());
        boolean auth = message.contains("not authorized") || message.contains("Authentication is required")
                || message.contains("authentication not supported") || message.contains("401") || message.contains("403");
        String safe = GitRepository.redact(url);
        return new GitRemoteException(safe, auth, "cannot " + what + " " + safe + ": " + message.replace(url, safe)
                + (auth ? "; configure a git credential helper for this host (git config credential.helper …), as for git itself"
                        : "; check the URL and that the remote is reachable"), e);
    }
}
