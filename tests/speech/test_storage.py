import hashlib
import io

import pytest

from coach.speech.storage import audio_suffix, store_recording


def test_recording_is_stored_unchanged_under_a_generated_name(tmp_path):
    data = b"RIFF" + bytes(range(256)) * 10
    stored = store_recording(data, tmp_path / "recordings", "../../etc/Customer Call.WAV")
    assert stored.path.parent == tmp_path / "recordings"
    assert stored.path.read_bytes() == data
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.stored_name.endswith(".wav") and "Customer" not in stored.stored_name
    assert len(stored.stored_name) == 32 + len(".wav")


def test_two_uploads_with_the_same_name_do_not_collide(tmp_path):
    first = store_recording(b"one", tmp_path, "call.mp3")
    second = store_recording(b"two", tmp_path, "call.mp3")
    assert first.path != second.path
    assert first.path.read_bytes() == b"one" and second.path.read_bytes() == b"two"


def test_file_objects_are_streamed(tmp_path):
    data = bytes(3 * 1024 * 1024 + 7)
    stored = store_recording(io.BytesIO(data), tmp_path, "audio/webm;codecs=opus")
    assert stored.size == len(data) and stored.path.suffix == ".webm"


@pytest.mark.parametrize(
    ("hint", "suffix"),
    [("reply.ogg", ".ogg"), ("x.M4A", ".m4a"), ("evil.php", ".audio"), ("noext", ".audio"), (None, ".audio"),
     ("audio/mpeg", ".mp3"), ("audio/wav", ".wav"), (".flac", ".flac"), ("a.wav/../../x.sh", ".audio")],
)
def test_suffix_hint_is_reduced_to_a_known_audio_extension(hint, suffix):
    assert audio_suffix(hint) == suffix


class _BreaksHalfway(io.RawIOBase):
    def __init__(self):
        self.calls = 0

    def read(self, size=-1):
        self.calls += 1
        if self.calls > 2:
            raise OSError("connection reset")
        return b"x" * 1024


def test_interrupted_upload_leaves_no_partial_file(tmp_path):
    with pytest.raises(OSError):
        store_recording(_BreaksHalfway(), tmp_path, "call.wav")
    assert list(tmp_path.iterdir()) == []
