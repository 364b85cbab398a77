import json

import numpy as np

from scoring import load_models, score_reply
from scoring.training import DATA_FILE, refit_from_reviews, train


def _small_data(tmp_path, count=300):
    path = tmp_path / "replies.jsonl"
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()[:count]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_train_is_reproducible_and_fits_each_dimension_on_its_labelled_replies(tmp_path):
    data = _small_data(tmp_path, 200)
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    assert any(row["labels"]["ownership"] is None for row in rows)  # unlabelled dimensions are allowed
    first = train(data_path=data, out_dir=tmp_path / "a", random_state=3, move_sentences=240, human_per_source=40)
    second = train(data_path=data, out_dir=tmp_path / "b", random_state=3, move_sentences=240, human_per_source=40)
    assert first.agreement == second.agreement
    assert np.array_equal(load_models(tmp_path / "a").reply_scorer.coef_, load_models(tmp_path / "b").reply_scorer.coef_)
    moves_a = load_models(tmp_path / "a").move_classifier.coef_
    assert np.array_equal(moves_a, load_models(tmp_path / "b").move_classifier.coef_)
    assert all(np.isfinite(v) for v in first.agreement.values())
    card = score_reply("I'll refund you by Friday and email you when it's done.", "I want my money back.",
                       models=tmp_path / "a")
    assert 0 <= card.scores["ownership"] <= 100


def test_refit_moves_agreement_toward_reviewers(tmp_path):
    data = _small_data(tmp_path)
    base = train(data_path=data, out_dir=tmp_path / "base", move_sentences=240, human_per_source=40).out_dir
    # These reviewers count a bare "sorry for any inconvenience" as cold (empathy 10), and warm thanks as high.
    rows = []
    for n in range(20):
        rows.append((f"My order {n} is late.", f"Sorry for any inconvenience with order {n}.", {"empathy": 10}))
        rows.append((f"My order {n} is late.", f"Thank you so much for your patience with order {n}!",
                     {"empathy": 90}))
    report = refit_from_reviews(rows, out_dir=tmp_path / "org", base_models=base, data_path=data)
    before, after = report.agreement["empathy"]
    assert after > before
    meta = json.loads((tmp_path / "org" / "meta.json").read_text())
    assert meta["refitted_on_reviews"] == 40
    card = score_reply("Sorry for any inconvenience with order 77.", "My order 77 is late.", models=tmp_path / "org")
    default = score_reply("Sorry for any inconvenience with order 77.", "My order 77 is late.", models=base)
    assert card.scores["empathy"] < default.scores["empathy"]
