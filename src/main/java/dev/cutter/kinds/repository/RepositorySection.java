package dev.cutter.kinds.repository;

import dev.cutter.kinds.packages.PackageSection;
import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.EntrySection;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Template;
import dev.cutter.spec.YamlNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code repositories:}: signed apt and yum repositories, published to a directory or over sftp. */
public final class RepositorySection extends EntrySection<RepositorySpec> {
    public static final RepositorySection SECTION = new RepositorySection();

    private RepositorySection() {
        super("repositories");
    }

    @Override
    protected RepositorySpec entry(SectionReader reader, Fields f, String id, String at) {
        String type = f.choice("type", "apt", List.of("apt", "yum"));
        Optional<YamlNode> signNode = f.node("sign");
        Optional<Template> key = Optional.empty();
        Optional<Template> passphrase = Optional.empty();
        if (signNode.isPresent()) {
            Fields s = reader.top().open(signNode.get(), f.child("sign"));
            key = Optional.of(s.requiredTemplate("key", "\"${file:keys/repo.asc}\""));
            passphrase = s.template("passphrase");
            s.finish();
        }
        List<String> allowed = type.equals("apt") ? List.of("gz", "xz") : List.of("gz", "zst");
        List<String> compression = f.list("compression", (n, a) -> f.scalar(n, a).map(v -> {
            if (!allowed.contains(v)) {
                f.problem(n.location(), a, "'" + v + "' is not a compression of " + type + " indexes; write "
                        + String.join(" or ", allowed));
                return null;
            }
            return v;
        }).orElse(null));
        if (type.equals("yum") && compression.size() > 1) {
            // repomd.xml names one file per metadata type: gz for every client, zst for dnf ≥ 4.2 only
            f.problem(f.location(), at + ".compression", "a yum repository's metadata has one compression, not "
                    + compression + "; write [gz] (every yum and dnf) or [zst] (createrepo_c's default, newer dnf)");
        }
        Optional<SshSpec> ssh = Optional.empty();
        Optional<YamlNode> sshNode = f.node("ssh");
        if (sshNode.isPresent()) {
            Fields s = reader.top().open(sshNode.get(), f.child("ssh"));
            Optional<String> hostKey = s.string("host-key");
            hostKey.filter(h -> !h.matches("SHA256:[A-Za-z0-9+/]{43}=?")).ifPresent(h -> f.problem(s.location(),
                    f.child("ssh") + ".host-key", "'" + h + "' is not a host key fingerprint; write it as ssh-keygen -lf"
                            + " prints it: SHA256: and 43 base64 characters"));
            ssh = Optional.of(new SshSpec(s.template("key"), s.template("passphrase"), hostKey, s.template("known-hosts")));
            s.finish();
        }
        RepositorySpec repository = new RepositorySpec(id, type, f.strings("packages"),
                f.requiredTemplate("publish", "dir:dist/repo/" + type), type.equals("apt") ? Optional.of(f.template("dist", "stable")) : f.template("dist"),
                type.equals("apt") ? Optional.of(f.template("component", "main")) : f.template("component"), key, passphrase,
                f.integer("keep", 0, 0), f.bool("by-hash", false), f.bool("contents", false),
                compression.isEmpty() ? (type.equals("apt") ? List.of("gz", "xz") : List.of("gz")) : compression,
                ssh, f.template("url"), f.location());
        if (repository.contents()) {
            f.problem(f.location(), at + ".contents", "Contents indexes (apt-file's data) are not written yet;"
                    + " remove contents or set it to false");
        }
        if (type.equals("yum") && (f.has("dist") || f.has("component"))) {
            f.problem(f.location(), at, "dist and component are apt terms; a yum repository has neither — remove them");
        }
        return repository;
    }



    @Override
    protected void check(RepositorySpec r, String at, SectionChecks checks) {
        Set<String> packages = PackageSection.SECTION.ids(checks.spec());
        PlaceholderScope scope = PlaceholderScope.none(at);
        checks.references(r.packages(), packages, "packages", at + ".packages", r.location());
        if (r.packages().isEmpty()) {
            checks.problem(r.location(), at, "holds no packages; add e.g. packages: [my-app]");
        }
        String format = r.type().equals("apt") ? "deb" : "rpm";
        for (String id : r.packages()) {
            PackageSection.SECTION.of(checks.spec()).stream().filter(p -> p.id().equals(id) && !p.formats().contains(format)).findFirst()
                    .ifPresent(p -> checks.problem(r.location(), at + ".packages", "package '" + id + "' builds no ." + format
                            + " for this " + r.type() + " repository; add " + format + " to its formats"));
        }
        checks.check(r.publish(), scope, false);
        String publish = r.publish().source();
        if (!publish.isEmpty() && !publish.matches("(dir:|sftp://).+")) {
            checks.problem(r.publish().location(), at + ".publish", "'" + publish + "' is not a publication target; write"
                    + " dir:PATH (a directory a web server serves) or sftp://[USER@]HOST[:PORT]/PATH (a repo server over SSH)");
        }
        if (r.ssh().isPresent() && !publish.startsWith("sftp://")) {
            checks.problem(r.location(), at + ".ssh", "ssh settings are for an sftp:// publication; remove ssh or publish to sftp://");
        }
        r.ssh().ifPresent(ssh -> {
            ssh.key().ifPresent(t -> checks.check(t, scope, true));
            ssh.passphrase().ifPresent(t -> checks.check(t, scope, true));
            ssh.knownHosts().ifPresent(t -> checks.check(t, scope, false));
        });
        r.dist().ifPresent(t -> checks.check(t, scope, false));
        r.url().ifPresent(t -> {
            checks.check(t, scope, false);
            if (!t.source().matches("https?://[^/\\s]+(/\\S*)?")) {
                checks.problem(t.location(), at + ".url", "'" + t.source() + "' is not the web address clients read the"
                        + " repository at; write http(s)://HOST[/PATH], e.g. https://packages.example.com/apt");
            }
        });
        r.component().ifPresent(t -> checks.check(t, scope, false));
        r.signKey().ifPresent(t -> checks.check(t, scope, true));
        r.signPassphrase().ifPresent(t -> checks.check(t, scope, true));
    }

    @Override
    public List<String> targets(List<RepositorySpec> repositories) {
        return repositories.stream().map(RepositorySpec::id).toList();
    }

    @Override
    public Map<String, List<String>> selectable(List<RepositorySpec> repositories) {
        return selectableAs("repository", repositories);
    }
}
