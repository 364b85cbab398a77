"""Customer voices from espeak-ng: a voice per persona, pace and pitch by mood, a WAV whose length fits its words."""
import re

import pytest

from coach.speech import tts
from coach.speech.audio import decode_audio

LINE = "I have been waiting three weeks for this refund and nobody has called me back."


def test_each_persona_keeps_its_own_voice_and_a_named_one_is_used():
    names = ["Dana", "Tom", "Kevin", "Gareth", "Mr Patel", "Helen", "Ruth", "Marcus"]
    voices = [tts.persona_voice(name) for name in names]
    assert len(set(voices)) == len(names)
    assert tts.persona_voice("Dana") == tts.persona_voice(" dana ")
    assert tts.persona_voice("Dana", "en-us+f2").voice == "en-us+f2"
    assert tts.persona_voice("Dana", "en; rm -rf /").voice in tts.VOICE_POOL  # not a voice name: ignored


def test_an_upset_customer_speaks_faster_than_a_calm_one(tmp_path):
    voice = tts.persona_voice("Dana")
    lengths = {band: decode_audio(tts.render_line(LINE, voice, band, tmp_path)[1]).duration for band in tts.DELIVERY}
    assert lengths["upset"] < lengths["uneasy"] < lengths["calm"]
    words = len(re.findall(r"\w+", LINE))
    assert all(1.5 <= words / seconds <= 4.0 for seconds in lengths.values())


def test_a_line_is_rendered_once_and_found_by_its_digest_only(tmp_path):
    voice = tts.persona_voice("Tom")
    digest, path = tts.render_line(LINE, voice, "calm", tmp_path)
    stamp = path.stat().st_mtime_ns
    assert tts.render_line(LINE, voice, "calm", tmp_path) == (digest, path) and path.stat().st_mtime_ns == stamp
    assert tts.cached_line(tmp_path, digest) == path
    assert tts.line_digest(LINE + " Now.", voice, "calm") != digest != tts.line_digest(LINE, voice, "upset")
    assert tts.cached_line(tmp_path, "../" + digest) is None and tts.cached_line(tmp_path, "0" * 64) is None
    assert path.read_bytes()[:4] == b"RIFF" and decode_audio(path).duration > 2


def test_a_line_beginning_like_an_option_is_spoken_not_parsed(tmp_path):
    _, path = tts.render_line("-v is not a voice, it is what I said", tts.persona_voice("Ruth"), "uneasy", tmp_path)
    assert decode_audio(path).duration > 1


def test_without_espeak_ng_the_error_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(tts.shutil, "which", lambda name: None)
    with pytest.raises(tts.VoiceError, match="apt-get install espeak-ng"):
        tts.render_line(LINE, tts.persona_voice("Tom"), "calm", tmp_path)
