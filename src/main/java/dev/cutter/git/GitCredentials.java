package dev.cutter.git;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;

/**
 * User name and password for an http(s) remote from the user's git credential helpers, through
 * {@code git credential fill} — the protocol every git tool shares (osxkeychain, libsecret,
 * manager, store, gh auth git-credential, CI helpers). {@link #reset} (called by JGit when the
 * remote refused them) runs {@code git credential reject}; {@link #approve} after a successful
 * operation runs {@code git credential approve}, so helpers that cache behave as with git itself.
 * Never prompts: with no helper configured the remote's 401 is reported.
 */
final class GitCredentials extends CredentialsProvider {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final GitCli git;
    private final Map<String, String> filled = new LinkedHashMap<>();

    GitCredentials(GitCli git) {
        this.git = git;
    }

    @Override
    public boolean isInteractive() {
        return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
        for (CredentialItem item : items) {
            if (!(item instanceof CredentialItem.Username) && !(item instanceof CredentialItem.Password)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
        if (!supports(items)) {
            throw new UnsupportedCredentialItem(uri, "only a user name and a password are available from git credential helpers");
        }
        GitCli.Result r = git.run(TIMEOUT, describe(uri, Map.of()), List.of("credential", "fill"));
        if (!r.ok()) {
            return false; // no helper had them and prompting is off
        }
        Map<String, String> answer = parse(r.out());
        if (!answer.containsKey("password")) {
            return false;
        }
        filled.clear();
        filled.putAll(answer);
        for (CredentialItem item : items) {
            if (item instanceof CredentialItem.Username u) {
                u.setValue(answer.getOrDefault("username", uri.getUser()));
            } else if (item instanceof CredentialItem.Password p) {
                p.setValue(answer.get("password").toCharArray());
            }
        }
        return true;
    }

    /** The remote refused what the helpers gave: tell them to forget it. */
    @Override
    public synchronized void reset(URIish uri) {
        if (!filled.isEmpty()) {
            git.run(TIMEOUT, describe(uri, filled), List.of("credential", "reject"));
            filled.clear();
        }
    }

    /** The operation succeeded with what the helpers gave: let caching helpers keep it. */
    synchronized void approve(URIish uri) {
        if (!filled.isEmpty()) {
            git.run(TIMEOUT, describe(uri, filled), List.of("credential", "approve"));
        }
    }

    /** The credential protocol's request: protocol, host[:port], path, and what we know. */
    static String describe(URIish uri, Map<String, String> known) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("protocol", uri.getScheme() == null ? "https" : uri.getScheme());
        fields.put("host", uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!path.isEmpty()) {
            fields.put("path", path); // git drops it unless credential.useHttpPath is set
        }
        if (uri.getUser() != null) {
            fields.put("username", uri.getUser());
        }
        known.forEach((k, v) -> {
            if (!k.equals("protocol") && !k.equals("host") && !k.equals("path")) {
                fields.put(k, v);
            }
        });
        StringBuilder in = new StringBuilder();
        fields.forEach((k, v) -> {
            // one line per field: a newline in a value would add fields of its own choosing
            // (a host= that sends these credentials elsewhere, as in CVE-2020-5260)
            if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\0') >= 0) {
                throw new GitException("the remote " + uri.getHost() + " has a line break or NUL in its " + k
                        + "; refusing to ask credential helpers about it");
            }
            in.append(k).append('=').append(v).append('\n');
        });
        return in.append('\n').toString();
    }

    static Map<String, String> parse(String out) {
        Map<String, String> answer = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                answer.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return answer;
    }
}
