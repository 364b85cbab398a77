"""Review fixtures: calls whose first pass comes from the real pipeline stages run on a written transcript
(these tests are about the review screens, not transcription), and audio bytes made in the test."""
from __future__ import annotations

import io
from datetime import date

import numpy as np
import pytest
import soundfile

from coach.calls.checklist import tick_checklist
from coach.calls.metrics import measure_call
from coach.calls.pipeline import CallResult, score_segments
from coach.calls.redaction import redact_segments
from coach.calls.transcript import CallSegment, CallWord
from coach.jobs import handlers
from coach.models import Call, CallStatus, Recording
from coach.speech.storage import store_recording

LINES = [
    ("agent", 0.0, "Thank you for calling Acme, my name is Sam. How can I help?"),
    ("customer", 4.0, "My parcel is late and I am really annoyed."),
    ("agent", 7.0, "I am so sorry, I understand how frustrating that is. When did you order it?"),
    ("customer", 12.0, "Last Monday. My card is 4539 1472 0362 5174."),
    ("agent", 20.0, "I will sort this out. I have sent a replacement that arrives within two days. Does that help?"),
    ("customer", 27.0, "Yes, great, thank you."),
    ("agent", 29.0, "Thanks for calling, have a great day."),
]


def segments_from(lines=LINES) -> list[CallSegment]:
    segments = []
    for speaker, start, text in lines:
        words = [CallWord(token, start + 0.35 * i, start + 0.35 * i + 0.3) for i, token in enumerate(text.split())]
        segments.append(CallSegment(start, words[-1].end, speaker, text, words))
    return segments


def wav_bytes(seconds: float = 2.0, rate: int = 8000, channels: int = 1, subtype: str = "PCM_16") -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    tone = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    out = io.BytesIO()
    soundfile.write(out, np.stack([tone] * channels, axis=1), rate, format="WAV", subtype=subtype)
    return out.getvalue()


@pytest.fixture
def first_pass_result(app) -> dict:
    settings = app.config["COACH"]
    segments, redactions = redact_segments(segments_from())
    return CallResult(duration=32.0, agent_channel="left", agent_channel_guessed=True, channels=2, segments=segments,
                      scorecard=score_segments(segments, settings), checklist=tick_checklist(segments, 32.0),
                      metrics=measure_call(segments, None, None, settings.dead_air_seconds), redactions=redactions,
                      waveform={"seconds_per_bin": 1.0, "channels": [[0.5] * 32, [0.2] * 32]}).to_dict()


@pytest.fixture
def make_call(app, session, first_pass_result):
    """``make_call(agent, uploaded_by)``: a ready call with its recording stored like an upload."""
    def make(agent, uploaded_by=None, call_date=date(2024, 5, 6)):
        stored = store_recording(wav_bytes(), app.config["COACH"].recordings_dir, "call.wav")
        recording = Recording(stored_name=stored.stored_name, original_name="call.wav", size_bytes=stored.size,
                              sha256=stored.sha256, content_type="audio/wav")
        session.add(recording)
        session.flush()
        call = Call(recording_id=recording.id, agent_id=agent.id, uploaded_by=uploaded_by.id if uploaded_by else None,
                    call_date=call_date, call_type="complaint", status=CallStatus.ready, result=first_pass_result)
        session.add(call)
        session.commit()
        return call
    return make


@pytest.fixture
def queued_calls(monkeypatch) -> list[int]:
    """Replace the first-pass job (Whisper) by one that notes the call it was given."""
    seen: list[int] = []
    monkeypatch.setitem(handlers.HANDLERS, "call_first_pass", lambda ctx: seen.append(ctx.job.payload["call_id"]) or {})
    return seen
