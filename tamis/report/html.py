"""A self-contained report.html (no network, no script; readable on a phone): counts in and out,
removals by reason as a bar chart, the site templates learned, the largest duplicate clusters with
their members, and sampled inputs shown beside what was kept, each removed span struck through and
labelled with its reason."""
from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from ..workdir import atomic_write
from .data import ReportData

STYLE = """
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:72rem;
 padding:1rem;color:#1d2330;background:#fff}
h1{font-size:1.45rem;margin:.2rem 0 .4rem}h2{font-size:1.15rem;margin:2rem 0 .6rem;padding-bottom:.2rem;
 border-bottom:2px solid #e4e8f0}h3{font-size:1rem;margin:.2rem 0}
.line{color:#4b5567;font-size:.9rem;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.5rem;margin:1rem 0}
.card{border:1px solid #e4e8f0;border-radius:8px;padding:.5rem .7rem;background:#f7f9fc}
.card b{display:block;font-size:1.35rem;line-height:1.2}.card span{font-size:.8rem;color:#4b5567}
table{border-collapse:collapse;width:100%}td,th{padding:.25rem .4rem;border-bottom:1px solid #eef1f6;
 text-align:left;vertical-align:top}th{font-size:.8rem;color:#4b5567;font-weight:600}
.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.barcell{width:45%}.bar{background:#3f6fd8;height:.8rem;border-radius:2px;display:block;min-width:2px}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;overflow-wrap:anywhere}
.note{color:#4b5567;font-size:.85rem}
.reason{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;white-space:nowrap}
.cluster{border:1px solid #e4e8f0;border-radius:8px;padding:.5rem .7rem;margin:.5rem 0}
.cluster ul{margin:.3rem 0 0;padding-left:1.1rem}.cluster li{margin:.15rem 0}
.snip{color:#4b5567;font-size:.85rem;overflow-wrap:anywhere}
.kind{font-size:.75rem;border-radius:3px;padding:0 .3rem;background:#e3ecfb;color:#1f4aa8;white-space:nowrap}
details.doc{border:1px solid #e4e8f0;border-radius:8px;margin:.6rem 0;padding:.4rem .6rem}
details.doc>summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.8rem;margin-top:.5rem}
.pane{min-width:0}.pane h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:#4b5567}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.9rem;background:#fbfcfe;border:1px solid #eef1f6;
 border-radius:6px;padding:.5rem;max-height:40rem;overflow:auto}
del{color:#9b2c2c;background:#fdf0f0;text-decoration:line-through;text-decoration-color:#c53030}
.why{font-size:.7rem;background:#c53030;color:#fff;border-radius:3px;padding:0 .3rem;margin:0 .25rem;
 white-space:nowrap;text-decoration:none;font-family:system-ui,sans-serif}
.examples{margin:.2rem 0 0;padding-left:1.1rem}.examples li{overflow-wrap:anywhere}
@media(max-width:700px){body{font-size:14px;padding:.6rem}.pair{grid-template-columns:1fr}
 td,th{padding:.2rem}.barcell{width:30%}.reason{font-size:.75rem}.text{max-height:26rem}}
"""


def write_report(path: Path, data: ReportData) -> None:
    atomic_write(Path(path), render(data).encode("utf-8"))


def render(data: ReportData) -> str:
    s = data.summary
    statuses = s["statuses"]
    not_kept = sum(statuses.get(k, 0) for k in ("removed", "unreadable", "skipped"))
    cards = "".join(f"<div class=card><b>{v}</b><span>{escape(k)}</span></div>" for k, v in (
        ("inputs", s["inputs"]), ("documents kept", s["documents"]), ("duplicates dropped", s["duplicates"]),
        ("inputs not kept", not_kept)))
    status_rows = "".join(f"<tr><td>{escape(k)}</td><td class=num>{v}</td></tr>" for k, v in statuses.items())
    return f"""<!doctype html>
<html lang=en><head><meta charset=utf-8>
<meta name=viewport content="width=device-width,initial-scale=1">
<title>tamis report</title><style>{STYLE}</style></head>
<body>
<h1>tamis run</h1><p class=line>{escape(s['line'])}</p>
<div class=cards>{cards}</div>
<h2>Inputs by status</h2><table><tr><th>status</th><th class=num>inputs</th></tr>{status_rows}</table>
<h2>Removed spans by reason</h2><p class=note>Every span removed from every input, by its reason code.</p>
{_reason_bars(data.removed, data.removed_chars)}
<h2>Inputs not kept, by reason</h2>{_bars(data.not_kept, "inputs")}
<h2>Site templates learned</h2>{_templates(data)}
<h2>Largest duplicate clusters</h2>{_clusters(data)}
<h2>What was removed, by input</h2>
<p class=note>The first inputs with removals: the input with each removed span struck through and labelled
with its reason, beside the documents kept from it.</p>
{''.join(_sample(x, k < 3) for k, x in enumerate(data.samples)) or '<p>Nothing was removed.</p>'}
</body></html>
"""


def _bars(counts: Counter, unit: str, limit: int = 30) -> str:
    if not counts:
        return "<p>None.</p>"
    top = max(counts.values())
    rows = "".join(f"<tr><td class=reason>{escape(str(k))}</td><td class=num>{v}</td>"
                   f"<td class=barcell><span class=bar style='width:{100 * v / top:.1f}%'></span></td></tr>"
                   for k, v in counts.most_common(limit))
    return f"<table><tr><th>reason</th><th class=num>{unit}</th><th></th></tr>{rows}</table>"


def _reason_bars(spans: Counter, chars: Counter, limit: int = 40) -> str:
    if not spans:
        return "<p>None.</p>"
    top = max(chars.values()) or 1
    rows = "".join(f"<tr><td class=reason>{escape(k)}</td><td class=num>{v}</td><td class=num>{chars[k]:,}</td>"
                   f"<td class=barcell><span class=bar style='width:{100 * chars[k] / top:.1f}%'></span></td></tr>"
                   for k, v in sorted(spans.items(), key=lambda kv: (-chars[kv[0]], kv[0]))[:limit])
    return (f"<table><tr><th>reason</th><th class=num>spans</th><th class=num>characters</th><th></th></tr>"
            f"{rows}</table>")


def _templates(data: ReportData, shown: int = 8) -> str:
    if not data.templates:
        return "<p>None (a site needs several documents in the run).</p>"
    head = "<tr><th>site</th><th class=num>lines</th><th>template lines removed (examples)</th></tr>"
    rows = [f"<tr><td class=code>{escape(t['site'])}</td><td class=num>{t['lines']}</td><td>"
            + ("<ul class=examples>" + "".join(f"<li>{escape(x)}</li>" for x in t["examples"]) + "</ul>"
               if t["examples"] else "<span class=note>none removed</span>")
            + "</td></tr>" for t in data.templates]
    more = (f"<p class=note>The {len(data.templates)} sites with the most template lines, of "
            f"{data.template_sites}.</p>" if data.template_sites > len(data.templates) else "")
    rest = (f"<details><summary>{len(rows) - shown} more sites</summary><table>{head}{''.join(rows[shown:])}"
            f"</table></details>" if len(rows) > shown else "")
    return f"{more}<table>{head}{''.join(rows[:shown])}</table>{rest}"


def _about(about) -> str:
    if not about:
        return ""
    title, snippet, url = about
    parts = [f"<b>{escape(title)}</b>" if title else "", escape(snippet) + ("…" if len(snippet) >= 240 else ""),
             f"<span class=code>{escape(url)}</span>" if url else ""]
    return "<div class=snip>" + " · ".join(p for p in parts if p) + "</div>"


def _clusters(data: ReportData) -> str:
    if not data.clusters:
        return "<p>None.</p>"
    blocks = []
    for c in data.clusters:
        members = "".join(f"<li><span class=code>{escape(m['id'])}</span> <span class=kind>{escape(m['kind'])} "
                          f"{m['score']:.2f}</span>{_about(m['about'])}</li>" for m in c["members"])
        more = f"<li class=note>and {c['size'] - 1 - len(c['members'])} more</li>" \
            if c["size"] - 1 > len(c["members"]) else ""
        blocks.append(f"<div class=cluster><h3>kept <span class=code>{escape(c['kept'])}</span> · {c['size']} "
                      f"documents</h3>{_about(c['about'])}<ul>{members}{more}</ul></div>")
    return f"<p class=note>{data.cluster_count} clusters in all.</p>" + "".join(blocks)


def _struck(sample: dict) -> str:
    """The input with each removed span as <del> and its reason; the rest as it is."""
    text = sample["input"]
    out, at = [], 0
    for span in sorted(sample["removed"], key=lambda s: (s["start"], s["end"])):
        start, end = span["start"], min(span["end"], len(text))
        if start < at or start >= len(text):
            continue
        out.append(escape(text[at:start]))
        out.append(f"<del>{escape(text[start:end])}</del><span class=why>{escape(span['reason'])}</span>")
        at = end
    out.append(escape(text[at:]))
    if sample["input_chars"] > len(text):
        out.append(f"\n<span class=note>… {sample['input_chars'] - len(text):,} more characters</span>")
    return "".join(out)


def _listed(sample: dict) -> str:
    """An HTML page's removals, in page order (their offsets point into its extracted text)."""
    return "\n".join(f"<del>{escape(s['text'])}</del><span class=why>{escape(s['reason'])}</span>"
                     for s in sample["removed"])


def _sample(sample: dict, open_: bool) -> str:
    left = _struck(sample) if sample.get("input") is not None else _listed(sample)
    kept = "".join(
        (f"<h3>{escape(d['id'])} · {escape(d['role'])}</h3>" if len(sample["kept"]) > 1 else "")
        + f"<div class=text>{escape(d['text'])}</div>" for d in sample["kept"]) \
        or "<p class=note>Nothing kept.</p>"
    reasons = Counter(s["reason"] for s in sample["removed"])
    chips = " ".join(f"<span class=why>{escape(r)} {n}</span>" for r, n in reasons.most_common(6))
    return (f"<details class=doc{' open' if open_ else ''}><summary>{escape(sample['source'])} · "
            f"{escape(sample['status'])} · {len(sample['removed'])} spans removed</summary>"
            f"<p>{chips}</p><div class=pair><div class=pane><h3>input</h3><div class=text>{left}</div></div>"
            f"<div class=pane><h3>kept</h3>{kept}</div></div></details>")
