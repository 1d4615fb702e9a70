#!/usr/bin/env python3
"""Writes docs/benchmarks.md and one SVG bar chart per comparison (docs/bench/*.svg) from the
results bench/run collected (lines of bench, label, median, min, max, peak RSS KiB, runs; a label
starting with '#' is a fact about the data). Usage: bench/report.py RESULTS MACHINE OUT_DIR COMMAND
The figures of `bench/run --scale`, kept in OUT_DIR/bench/scale-results.tsv and scale-machine.txt,
follow as their own section: their bench ids carry the size or database (apt@40000, ledger@sqlite)."""
import html
import sys
from pathlib import Path

SECTIONS = [  # bench id, title, what the goal says (None: no goal), the Cutter row(s) the goal is about, the peer row(s)
    ("startup", "Start: `cutter --version` and `cutter plan` vs `java -version`",
     "goal: ≤ 3× java -version", "cutter --version (runtime)", "java -version"),
    ("copy", "Image fan-out: `cutter copy` vs `skopeo copy --all`",
     "goal: fresh fan-out ≤ 0.5× skopeo's sequential loop", "cutter copy --batch", "skopeo copy --all, sequential loop"),
    ("build", "A Dockerfile built and pushed: `cutter release` (buildah) vs `buildah build` + `buildah push`",
     "goal: Cutter's overhead ≤ 10 % (≤ 1.10×)", ("cutter release (runtime)", "cutter release (jar on the JDK)"),
     "buildah build + buildah push"),
    ("attest", "Attestations: `cutter release` of serverless-init's shape with SBOMs, provenance and signatures vs without",
     "goal: ≤ 1.10×", ("cutter release with SBOMs, provenance, signatures (runtime)",
                       "cutter release with SBOMs, provenance, signatures (jar on the JDK)"),
     ("cutter release without attestations (runtime)", "cutter release without attestations (jar on the JDK)")),
    ("apt", "apt index of the packages: `cutter repo index` vs apt-ftparchive, dpkg-scanpackages",
     "goal: ≤ 1.5× apt-ftparchive", ("cutter repo index (runtime)", "cutter repo index (jar on the JDK)"),
     "apt-ftparchive packages | gzip -6"),
    ("apt-big", "apt index of 100 packages of 2 MiB: `cutter repo index` vs apt-ftparchive, where hashing weighs",
     None, ("cutter repo index (runtime)", "cutter repo index (runtime, C1 only)"), "apt-ftparchive packages | gzip -6"),
    ("apt-add", "apt: one package added to the repository: `cutter repo add` vs reprepro", "goal: ≤ 1.5× reprepro",
     ("cutter repo add (runtime)", "cutter repo add (jar on the JDK)"), "reprepro includedeb"),
    ("yum", "yum index of the packages: `cutter repo index` vs createrepo_c",
     "goal: ≤ 1.5× createrepo_c", ("cutter repo index (runtime)", "cutter repo index (jar on the JDK)"),
     "createrepo_c --no-database"),
    ("yum-add", "yum: one package added: `cutter repo add` vs createrepo_c --update",
     "goal: ≤ 1.5× createrepo_c", ("cutter repo add (runtime)", "cutter repo add (jar on the JDK)"),
     "cp + createrepo_c --update"),
    ("sha256", "sha256 of a file: Cutter's digest vs openssl dgst -sha256, sha256sum",
     "goal: throughput ≥ 0.8× openssl dgst (time ≤ 1.25×)", "cutter (Digest.sha256, JVM start included)", "openssl dgst -sha256"),
    ("layer", "A layer (tar + gzip -6): Cutter's LayerBuilder vs `tar | gzip -6`", None,
     "cutter (LayerBuilder, JVM start included)", "tar --sort=name | gzip -6"),
    ("plan", "Plan of a 10,000-job matrix", None, None, None),
    ("engine", "Engine overhead: no-op jobs", "goal: ≤ 2 ms per job", None, None),
]


def read(path):
    rows, facts = {}, {}
    for line in Path(path).read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[1].startswith("#"):
            facts.setdefault(parts[0], {})[parts[1][1:]] = parts[2]
        elif len(parts) == 7:
            bench, label, med, lo, hi, rss, runs = parts
            rows.setdefault(bench, []).append(dict(label=label, median=float(med), min=float(lo), max=float(hi),
                                                   rss=int(rss), runs=int(runs)))
    return rows, facts


def svg(title, rows):
    """A horizontal bar chart of the medians, min–max as a thin line, Cutter's bars in another colour."""
    width, left, bar, gap, top = 760, 330, 22, 10, 40
    height = top + len(rows) * (bar + gap) + 30
    peak = max(r["max"] for r in rows) or 1
    scale = (width - left - 90) / peak
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="22" font-size="14" font-weight="bold">{html.escape(title)}</text>']
    for i, r in enumerate(rows):
        y = top + i * (bar + gap)
        colour = "#d9534f" if r["label"].startswith(("cutter", "re-run: cutter")) else "#5b8def"
        w = max(1, r["median"] * scale)
        out.append(f'<text x="{left - 8}" y="{y + bar * 0.7:.0f}" text-anchor="end">{html.escape(r["label"][:48])}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>')
        out.append(f'<line x1="{left + r["min"] * scale:.1f}" x2="{left + r["max"] * scale:.1f}" y1="{y + bar / 2}" '
                   f'y2="{y + bar / 2}" stroke="black" stroke-width="1"/>')
        out.append(f'<text x="{left + w + 6:.1f}" y="{y + bar * 0.7:.0f}">{r["median"]:.3f} s</text>')
    out.append(f'<text x="{left}" y="{height - 10}" fill="#555">median of the runs; the line spans min to max; '
               f'red: Cutter</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


SCALE_PEERS = {  # family: title, Cutter's row, the peers' rows
    "apt": ("apt: full index", "cutter repo index", ["apt-ftparchive packages | gzip -6"]),
    "apt-add": ("apt: one package added", "cutter repo add",
                ["reprepro includedeb", "aptly repo add + publish update"]),
    "yum": ("yum: full index", "cutter repo index", ["createrepo_c --no-database"]),
    "yum-add": ("yum: one package added", "cutter repo add", ["cp + createrepo_c --update"]),
}


def mirror_section(rows, facts, sizes):
    """bench/mirror.sh's rows at each size: the copies, the floor, and Cutter's ratio to each."""
    md = []
    for size in sizes:
        bench = f"mirror@{size}"
        md += [f"### A mirror of {int(size):,} images to 3 registries: `cutter copy --batch` vs skopeo", ""]
        f = facts.get(bench, {})
        if "data" in f:
            md += [f"Data: {f['data']}.", ""]
        r = rows.get(bench, [])
        if not r:
            continue
        md += ["| | median | min | max | peak RSS | runs |", "|---|---:|---:|---:|---:|---:|"]
        for x in r:
            md.append(f"| {x['label']} | {x['median']:.3f} s | {x['min']:.3f} s | {x['max']:.3f} s | {x['rss'] / 1024:.0f} MiB | {x['runs']} |")
        md.append("")
        by = {x["label"]: x for x in r}
        ratios = []
        for mine, others in (("cutter copy --batch", [l for l in by if not l.startswith(("re-run", "cutter"))]),
                             ("re-run: cutter copy --batch", [l for l in by if l.startswith("re-run") and "cutter" not in l])):
            for other in others:
                if mine in by and by[other]["median"]:
                    ratios.append(f"**{mine}** / {other}: {by[mine]['median'] / by[other]['median']:.2f}×")
        if ratios:
            md += ["; ".join(ratios) + " (goal: the first copy within 1.3× the floor; the re-run only reads manifests)", ""]
        for key, value in f.items():
            if key != "data":
                md += [f"{key.replace('_', ' ')}: {value}", ""]
    return md


def scale_section(out_dir):
    """The section of `bench/run --scale`: per repository family a table by size with Cutter's ratio
    to each peer and the growth per 1,000 packages; the ledger's and the plan's rows as they come."""
    results, machine = out_dir / "bench" / "scale-results.tsv", out_dir / "bench" / "scale-machine.txt"
    if not results.exists():
        return []
    rows, facts = read(results)
    md = ["## At scale: `bench/run --scale`", "",
          "Repositories of 1,000 to 40,000 packages, ledgers of 100,000 runs, plans of 100,000 jobs, mirrors of hundreds of images; the peers in the "
          "same run. Ratios are Cutter's median over the peer's at the same size; growth is the change of the median "
          "between the smallest and the largest size, per 1,000 packages.", "",
          "```", machine.read_text().strip() if machine.exists() else "", "```", ""]
    families = {}
    for bench in list(rows) + list(facts):
        if "@" in bench:
            family, size = bench.split("@", 1)
            families.setdefault(family, [])
            if size not in families[family]:
                families[family].append(size)
    for family, sizes in families.items():
        if family in SCALE_PEERS:
            title, mine, peers = SCALE_PEERS[family]
            md += [f"### {title}", ""]
            labels = []
            for size in sizes:
                for r in rows.get(f"{family}@{size}", []):
                    if r["label"] not in labels:
                        labels.append(r["label"])
            esc = lambda t: t.replace("|", chr(92) + "|")
            md += ["| packages | " + " | ".join(esc(l) for l in labels) + " | " + " | ".join(f"÷ {esc(p)}" for p in peers) + " |",
                   "|---:|" + "---:|" * (len(labels) + len(peers))]
            for size in sizes:
                by = {r["label"]: r for r in rows.get(f"{family}@{size}", [])}
                cells = [f"{by[l]['median']:.3f} s, {by[l]['rss'] / 1024:.0f} MiB" if l in by else "–" for l in labels]
                ratios = [f"{by[mine]['median'] / by[p]['median']:.2f}×" if mine in by and p in by and by[p]["median"] else "–"
                          for p in peers]
                md.append(f"| {int(size):,} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
            md.append("")
            numeric = sorted(int(s) for s in sizes if s.isdigit())
            if len(numeric) >= 2:
                lo, hi = numeric[0], numeric[-1]
                a = {r["label"]: r for r in rows.get(f"{family}@{lo}", [])}
                b = {r["label"]: r for r in rows.get(f"{family}@{hi}", [])}
                growth = [f"{esc(l)}: {(b[l]['median'] - a[l]['median']) / (hi - lo) * 1000 * 1000:.1f} ms and "
                          f"{(b[l]['rss'] - a[l]['rss']) / 1024 / (hi - lo) * 1000:.1f} MiB"
                          for l in labels if l in a and l in b]
                md += ["Growth per 1,000 packages (time, peak RSS): " + "; ".join(growth) + ".", ""]
            for size in sizes:
                if "data" in facts.get(f"{family}@{size}", {}):
                    md += [f"Data at {int(size):,}: {facts[family + '@' + size]['data']}.", ""]
            chart = [dict(r, label=f"{int(size):,}: {r['label']}") for size in sizes for r in rows.get(f"{family}@{size}", [])]
            if chart:
                (out_dir / "bench" / f"scale-{family}.svg").write_text(svg(title, chart))
                md += [f"![{family} at scale](bench/scale-{family}.svg)", ""]
        elif family == "mirror":
            md += mirror_section(rows, facts, sizes)
        else:
            for size in sizes:
                bench = f"{family}@{size}"
                md += [f"### {family}: {size}", ""]
                f = facts.get(bench, {})
                if "data" in f:
                    md += [f"Data: {f['data']}.", ""]
                r = rows.get(bench, [])
                if r:
                    md += ["| | median | min | max | peak RSS | runs |", "|---|---:|---:|---:|---:|---:|"]
                    for x in r:
                        rss = f"{x['rss'] / 1024:.0f} MiB" if x["rss"] else "–"
                        md.append(f"| {x['label'].replace('|', chr(92) + '|')} | {x['median'] * 1000:.1f} ms | "
                                  f"{x['min'] * 1000:.1f} ms | {x['max'] * 1000:.1f} ms | {rss} | {x['runs']} |")
                    md.append("")
                    served = [x for x in r if x["label"].startswith(("GET ", "page "))]
                    if served:
                        within = [x for x in served if x["median"] <= 0.050]
                        md += [f"Requests to the warm server whose median is within 50 ms (the goal): {len(within)} of "
                               f"{len(served)}; the slowest median {max(x['median'] for x in served) * 1000:.1f} ms "
                               f"({max(served, key=lambda x: x['median'])['label']}).", ""]
                for key, value in f.items():
                    if key != "data":
                        md += [f"{key.replace('_', ' ')}: {value}", ""]
    extra = out_dir / "bench" / "scale-notes.md"
    if extra.exists():
        md += ["### What the scale run shows", "", extra.read_text().strip(), ""]
    return md


def main():
    results, machine, out_dir, command = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4]
    rows, facts = read(results)
    (out_dir / "bench").mkdir(parents=True, exist_ok=True)
    md = ["# Benchmarks", "",
          "Generated by `bench/run` — do not edit by hand; run it again. Every comparison runs, in one run and on the "
          "same data, Cutter and its peers as whole processes (the JVM's start is in Cutter's times, as the C and Perl "
          "tools' starts are in theirs). Times are wall-clock medians; min and max are over the same runs; peak RSS is "
          "the largest single process's (GNU time). Ratios are Cutter's median over the peer's.", "",
          "## The machine", "", "```", Path(machine).read_text().strip(), "```", "",
          "## Reproduce", "", "```", command, "```", ""]
    kept = facts.get("meta", {}).get("kept")
    if kept:
        md += [f"This run measured only what `{command}` names; the rows of {kept} are the previous full run's, "
               "on the same machine, kept as they were.", ""]
    for bench, title, goal, mine, peer in SECTIONS:
        if bench not in rows and bench not in facts:
            continue
        md += [f"## {title}", ""]
        f = facts.get(bench, {})
        if "data" in f:
            md += [f"Data: {f['data']}.", ""]
        r = rows.get(bench, [])
        if r:
            md += ["| | median | min | max | peak RSS | runs |", "|---|---:|---:|---:|---:|---:|"]
            for x in r:
                md.append(f"| {x['label'].replace('|', chr(92) + '|')} | {x['median']:.3f} s | {x['min']:.3f} s | {x['max']:.3f} s | "
                          f"{x['rss'] / 1024:.0f} MiB | {x['runs']} |")
            md.append("")
        by = {x["label"]: x for x in r}
        if isinstance(mine, tuple):  # the rows of several Cutters (runtime, jar): each against the peer, or its own
            for label, other in zip(mine, peer if isinstance(peer, tuple) else (peer,) * len(mine)):
                if label in by and other in by and by[other]["median"]:
                    md += [f"**{label}** / **{other}**: {by[label]['median'] / by[other]['median']:.2f}×"
                           + (f" ({goal})" if goal else ""), ""]
        elif mine in by and peer in by:
            ratio = by[mine]["median"] / by[peer]["median"] if by[peer]["median"] else float("inf")
            line = f"**{mine}** / **{peer}**: {ratio:.2f}×"
            if goal:
                line += f" ({goal})"
            md += [line, ""]
        elif goal:
            md += [f"({goal})", ""]
        for key, value in f.items():
            if key == "per_job_ms":
                md += [f"Overhead per job, the whole process: **{value} ms**.", ""]
            elif key == "per_job_engine_ms":
                md += [f"Overhead per job without the JVM start and planning: **{value} ms**.", ""]
            elif key not in ("data",):
                md += [f"{key.replace('_', ' ')}: {value}", ""]
        if r:
            (out_dir / "bench" / f"{bench}.svg").write_text(svg(title.replace("`", ""), r))
            md += [f"![{bench}](bench/{bench}.svg)", ""]
    md += scale_section(out_dir)
    extra = out_dir / "bench" / "notes.md"
    if extra.exists():
        md += ["## Where the time goes", "", extra.read_text().strip(), ""]
    (out_dir / "benchmarks.md").write_text("\n".join(md))


if __name__ == "__main__":
    main()
