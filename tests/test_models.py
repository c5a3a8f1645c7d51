"""The learned models from training to shipping: a fitted scikit-learn ensemble exported to JSON scores
rows as the fitted model does, through the compiled tree walk and its numpy twin alike; a block model
trained on real pages' evidence and handed to extract_html decides their blocks as its scores say, and
every block it removes keeps a reason."""
import json
from pathlib import Path

import numpy as np
import pytest

import tamis
from tamis import native
from tamis.clean import analyse, blocks as clean_blocks, features, model
from tamis.extract import judge
from tamis.extract.core import assemble, evidence, extract_html, rule_verdicts

sklearn = pytest.importorskip("sklearn.ensemble")

HERE = Path(__file__).parent
HTML = [(HERE / "fixtures" / name).read_text(encoding="utf-8") for name in ("html_docs.html", "html_product.html")]
TEXT = [(HERE.parent / "examples" / "page_full_scrape.txt").read_text(encoding="utf-8"),
        (HERE / "fixtures" / "german_news.txt").read_text(encoding="utf-8")]


def _shipped(clf, names, tmp_path) -> model.TreeEnsemble:
    """`clf` through the JSON file a trainer writes and tamis reads."""
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.export_sklearn(clf, names)))
    return model.TreeEnsemble.from_dict(json.loads(path.read_text()), names)


def _same_walks(ensemble: model.TreeEnsemble, x: np.ndarray) -> None:
    if native.core is not None:
        assert np.allclose(ensemble.raw(x), ensemble._raw_numpy(x))


def test_a_line_model_scores_real_lines_as_the_fitted_one(tmp_path):
    x = np.concatenate([analyse(clean_blocks.split_blocks(page))[2] for page in TEXT])
    y = (x[:, features.NAMES.index("log_words")] > np.log1p(8)).astype(int)
    y[::7] = 1 - y[::7]   # not a single split: the trees must grow
    clf = sklearn.HistGradientBoostingClassifier(max_iter=20, max_depth=4, random_state=0).fit(x, y)
    shipped = _shipped(clf, features.NAMES, tmp_path)
    assert np.allclose(shipped.predict(x), clf.predict_proba(x)[:, 1], atol=1e-5)
    _same_walks(shipped, x)


def _evidence():
    return [evidence(html) for html in HTML]


def test_a_block_model_trained_on_real_evidence_decides_extract_html(tmp_path):
    evs = _evidence()
    xs = [judge.block_features(ev.blocks, ev.reasons, ev.by_line, ev.meta.get("title")) for ev in evs]
    assert all(x.shape == (len(ev.blocks), len(judge.NAMES)) for x, ev in zip(xs, evs))
    # Labels: the rules' verdicts, but short blocks are never content (a rule the model must learn).
    ys = [np.array([r is None and len(b.text) > 40 for b, r in zip(ev.blocks, ev.reasons)], dtype=int)
          for ev in evs]
    clf = sklearn.HistGradientBoostingClassifier(max_iter=30, max_depth=3, min_samples_leaf=2,
                                                 random_state=0).fit(np.concatenate(xs), np.concatenate(ys))
    block_model = _shipped(clf, judge.NAMES, tmp_path)
    for html, ev, x in zip(HTML, evs, xs):
        _same_walks(block_model, x)
        fitted = clf.predict_proba(x)[:, 1]
        assert np.allclose(block_model.predict(x), fitted, atol=1e-5)
        keep = [i for i in np.flatnonzero(fitted >= judge.KEEP).tolist() if i not in set(ev.reviews)]
        result = extract_html(html, model=block_model)
        assert result.text == assemble(ev, keep).text
        assert result.text != assemble(ev, rule_verdicts(ev)).text   # the model, not the rules, decided
        spans = {(s.start, s.end): s.reason for s in result.removed}
        for i, b in enumerate(ev.blocks):
            reason = spans.get((b.start, b.end))
            if i not in keep and i not in ev.reviews:
                assert reason, b.text
                if ev.reasons[i] is None and reason not in ("orphan-heading", "no-content"):
                    assert reason == "block-model"
                elif ev.reasons[i] is not None:
                    assert reason == ev.reasons[i]


def test_without_a_block_model_the_rules_decide(monkeypatch):
    from tamis.extract import core
    monkeypatch.setattr(core, "shipped_block_model", lambda: None)
    for html, ev in zip(HTML, _evidence()):
        result = tamis.extract_html(html)
        assert result.text == assemble(ev, rule_verdicts(ev)).text
        assert "block-model" not in {s.reason for s in result.removed}
