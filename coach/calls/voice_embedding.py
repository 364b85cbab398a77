"""Voice embeddings: who is speaking, as a 256-number vector, from the GE2E speaker encoder that the PyPI
package Resemblyzer ships with its weights (Apache-2.0, trained on LibriSpeech, VoxCeleb 1 and 2).

Only the weights file is taken from the package; the network (3 LSTM layers over 40 mel bands, 1.6 s partials,
L2-normed) is rebuilt here, so the package's own audio code and its webrtcvad import are never loaded.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import librosa
import numpy as np

from coach.speech.audio import SAMPLE_RATE

WEIGHTS_PACKAGE = "resemblyzer"
MEL_BANDS = 40
FRAME_STEP = SAMPLE_RATE // 100  # 10 ms
FRAME_LENGTH = SAMPLE_RATE * 25 // 1000  # 25 ms
PARTIAL_FRAMES = 160  # 1.6 s per partial utterance
PARTIAL_STEP = 80  # partials overlap by half
TARGET_DBFS = -30.0


class SpeakerModelMissing(RuntimeError):
    """The package that carries the encoder's weights is not installed."""


def weights_path() -> Path:
    """``pretrained.pt`` inside the installed Resemblyzer package, found without importing it."""
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SpeakerModelMissing(f"the Python package {WEIGHTS_PACKAGE} (speaker-encoder weights) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"


@lru_cache(maxsize=1)
def _encoder():
    import torch
    from torch import nn

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(MEL_BANDS, 256, 3, batch_first=True)
            self.linear = nn.Linear(256, 256)

        def forward(self, mels):
            _, (hidden, _) = self.lstm(mels)
            raw = torch.relu(self.linear(hidden[-1]))
            return raw / torch.norm(raw, dim=1, keepdim=True).clamp_min(1e-9)

    model = Encoder()
    state = torch.load(weights_path(), map_location="cpu", weights_only=True)["model_state"]
    model.load_state_dict({k: v for k, v in state.items() if not k.startswith("similarity_")})
    return model.eval()


def embed_voices(stretches: list[np.ndarray]) -> np.ndarray:
    """Unit-length voice vectors, one per stretch, the partials of all stretches run as one batch."""
    import torch

    partials, owners = [], []
    for index, samples in enumerate(stretches):
        for mel in _partials(_mel(samples)):
            partials.append(mel)
            owners.append(index)
    with torch.inference_mode():
        vectors = _encoder()(torch.from_numpy(np.stack(partials))).numpy() if partials else np.zeros((0, 256))
    owners = np.array(owners)
    result = np.zeros((len(stretches), 256), dtype=np.float32)
    for index in range(len(stretches)):
        mean = vectors[owners == index].mean(axis=0) if (owners == index).any() else np.zeros(256)
        result[index] = mean / max(float(np.linalg.norm(mean)), 1e-9)
    return result


def _mel(samples: np.ndarray) -> np.ndarray:
    samples = np.asarray(samples, dtype=np.float32)
    rms = float(np.sqrt(np.mean(samples ** 2))) if samples.size else 0.0
    if rms > 0:
        samples = samples * (10 ** (TARGET_DBFS / 20) / rms)
    if samples.size < FRAME_LENGTH:
        samples = np.pad(samples, (0, FRAME_LENGTH - samples.size))
    return librosa.feature.melspectrogram(y=samples, sr=SAMPLE_RATE, n_fft=FRAME_LENGTH, hop_length=FRAME_STEP,
                                          n_mels=MEL_BANDS).astype(np.float32).T


def _partials(mel: np.ndarray) -> list[np.ndarray]:
    """1.6 s windows every 0.8 s; a stretch shorter than one window is padded with silence."""
    if len(mel) <= PARTIAL_FRAMES:
        return [np.pad(mel, ((0, PARTIAL_FRAMES - len(mel)), (0, 0)))]
    starts = range(0, len(mel) - PARTIAL_FRAMES + 1, PARTIAL_STEP)
    return [mel[s: s + PARTIAL_FRAMES] for s in starts]
