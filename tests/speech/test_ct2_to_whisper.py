import pytest
import whisper
from whisper.normalizers import EnglishTextNormalizer

from coach.speech.ct2_to_whisper import read_ct2_model

pytestmark = pytest.mark.slow  # loads the tiny.en model


def test_converted_checkpoint_loads_with_whisper_load_model(tiny_model):
    model = whisper.load_model(str(tiny_model.whisper_checkpoint), device="cpu")
    assert model.dims.n_vocab == 51864 and model.dims.n_text_layer == 4 and model.dims.n_mels == 80
    spec, variables = read_ct2_model(tiny_model.ct2_dir / "model.bin")
    assert spec == "WhisperSpec"
    embedding = model.decoder.token_embedding.weight.detach().numpy()
    assert (abs(embedding - variables["decoder/embeddings/weight"].astype("float32")) < 1e-3).all()


def test_both_engines_agree_on_the_same_clip(reply_transcripts):
    """The layer mapping is right only if PyTorch on converted weights hears what CTranslate2 hears."""
    normalise = EnglishTextNormalizer()
    faster, reference = reply_transcripts["faster-whisper"], reply_transcripts["openai-whisper"]
    assert normalise(faster.text) == normalise(reference.text)
    for ours, theirs in zip(faster.words(), reference.words()):
        assert abs(ours.start - theirs.start) < 0.3 and abs(ours.end - theirs.end) < 0.3
