import numpy as np
import pytest

from scoring import load_models, score_reply
from scoring.band_scale import ScoreCalibration
from scoring.learned import TRAINED_DIR


def test_calibration_stretches_a_squeezed_score_onto_the_label_scale_and_keeps_the_order():
    rng = np.random.default_rng(0)
    labels = rng.choice([10, 30, 50, 70, 90], size=600)
    squeezed = 35 + 0.3 * labels + rng.normal(0, 4, size=600)  # ranks well, but lives between 35 and 65
    calibration = ScoreCalibration().fit(squeezed, labels)
    assert calibration.transform(np.percentile(squeezed[labels == 90], 50)) > 80
    assert calibration.transform(np.percentile(squeezed[labels == 10], 50)) < 20
    grid = np.linspace(0, 100, 201)
    assert np.all(np.diff(calibration.transform(grid)) > 0)  # strictly increasing: no two replies tie


def test_calibration_survives_being_written_to_the_models_meta():
    calibration = ScoreCalibration().fit([10, 40, 60, 90], [20, 30, 70, 80])
    again = ScoreCalibration.from_dict(calibration.to_dict())
    assert np.allclose(again.transform([0, 33, 77, 100]), calibration.transform([0, 33, 77, 100]))


def test_a_calibration_that_is_not_increasing_is_refused():
    with pytest.raises(ValueError):
        ScoreCalibration.from_dict({"x": [0, 50, 100], "y": [10, 10, 90]})


def test_the_shipped_models_calibrate_listening_and_empathy():
    assert set(load_models(TRAINED_DIR).calibrations) == {"active_listening", "empathy"}


def test_a_textbook_reply_reaches_the_top_bands_and_a_dismissive_one_the_bottom():
    context = "I've been waiting two weeks for my refund and nobody has called me back. This is ridiculous."
    good = score_reply("I'm so sorry, waiting two weeks with no call back sounds really frustrating. Let me check "
                       "where your refund is right now, and I'll call you back by 5 pm today with an answer.", context)
    bad = score_reply("Calm down. Refunds take 10 days, that's our policy.", context)
    assert good.bands["active_listening"] >= 4 and good.bands["empathy"] == 5
    assert bad.bands["active_listening"] <= 2 and bad.bands["empathy"] == 1
