"""A self-contained HTML report (no network, no script): counts in and out, removals by reason as a bar
chart, site templates learned, the largest duplicate clusters, and sampled inputs with each removed
span struck through and labelled with its reason."""
from __future__ import annotations

from collections import Counter, defaultdict
from html import escape
from pathlib import Path

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%}td,th{padding:.2rem .4rem;border-bottom:1px solid #eee;text-align:left}
.bar{background:#4a7fd4;height:.9rem;display:inline-block;vertical-align:middle}
.num{text-align:right;white-space:nowrap}
.doc{border:1px solid #ddd;border-radius:4px;padding:.5rem;margin:.6rem 0;overflow-wrap:anywhere}
.doc p{margin:.2rem 0}del{color:#a33;text-decoration:line-through}
.why{font-size:.75rem;background:#fbe3e3;color:#822;border-radius:3px;padding:0 .3rem;margin-left:.3rem}
details summary{cursor:pointer;font-weight:600}
@media(max-width:600px){body{font-size:14px;padding:.5rem}td,th{padding:.15rem}}
"""


def _bars(counts: Counter, limit: int = 30) -> str:
    if not counts:
        return "<p>None.</p>"
    top = max(counts.values())
    rows = "".join(
        f"<tr><td>{escape(str(k))}</td><td class=num>{v}</td>"
        f"<td style='width:50%'><span class=bar style='width:{100 * v / top:.1f}%'></span></td></tr>"
        for k, v in counts.most_common(limit))
    return f"<table>{rows}</table>"


def _sample(sample: dict) -> str:
    lines = "".join(
        f"<p><del>{escape(s['text'][:300])}</del><span class=why>{escape(s['reason'])}</span></p>"
        for s in sample["removed"])
    return (f"<details class=doc><summary>{escape(sample['source'])} ({len(sample['removed'])} removed)</summary>"
            f"{lines}</details>")


def write_report(path: Path, summary: dict, ledger: list[dict], samples: list[dict], duplicates: dict,
                 templates) -> None:
    reasons = Counter()
    for sample in samples:
        reasons.update(s["reason"] for s in sample["removed"])
    skipped = Counter(r["reason"].split(":")[0] for r in ledger if r["status"] in ("unreadable", "skipped", "removed"))
    clusters = defaultdict(list)
    for dup in duplicates.values():
        clusters[dup.duplicate_of].append(dup)
    largest = sorted(clusters.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:20]
    cluster_rows = "".join(
        f"<tr><td>{escape(canon)}</td><td class=num>{len(members) + 1}</td><td>"
        + ", ".join(f"{escape(m.id)} ({m.kind} {m.score:.2f})" for m in members[:10])
        + "</td></tr>" for canon, members in largest)
    template_rows = "".join(f"<tr><td>{escape(site)}</td><td class=num>{n}</td></tr>"
                            for site, n in templates.summary().items()) if templates else ""
    statuses = "".join(f"<tr><td>{escape(k)}</td><td class=num>{v}</td></tr>" for k, v in summary["statuses"].items())
    html = f"""<!doctype html><html lang=en><head><meta charset=utf-8>
<meta name=viewport content="width=device-width,initial-scale=1"><title>tamis report</title><style>{STYLE}</style></head>
<body><h1>tamis run</h1><p>{escape(summary['line'])}</p>
<h2>Inputs by status</h2><table>{statuses}</table>
<h2>Removed spans by reason</h2><p>Over the {len(samples)} sampled inputs below.</p>{_bars(reasons)}
<h2>Inputs not kept, by reason</h2>{_bars(skipped)}
<h2>Site templates learned</h2>{f'<table><tr><th>site</th><th>template lines</th></tr>{template_rows}</table>' if template_rows else '<p>None (a site needs several documents in the run).</p>'}
<h2>Largest duplicate clusters</h2>{f'<table><tr><th>kept</th><th>size</th><th>duplicates</th></tr>{cluster_rows}</table>' if cluster_rows else '<p>None.</p>'}
<h2>What was removed, by input</h2>{''.join(_sample(s) for s in samples) or '<p>Nothing.</p>'}
</body></html>
"""
    Path(path).write_text(html, encoding="utf-8")
