"""Convert a CTranslate2 Whisper ``model.bin`` into an openai-whisper checkpoint.

CTranslate2's binary format (python/ctranslate2/specs/model_spec.py, version 6):
uint32 version, string spec name, uint32 revision, uint32 variable count, then per
variable: string name, uint8 rank, uint32 dims, uint8 dtype, uint32 byte count, raw
bytes; then uint32 alias count and (alias, target) string pairs. Strings are a uint16
length including a trailing NUL. Self-attention stores q, k, v fused (k has no bias in
whisper), cross-attention stores k and v fused.
"""
from __future__ import annotations

import base64
import gzip
import json
import re
import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

_DTYPES = (np.float32, np.int8, np.int16, np.int32, np.float16, "bfloat16")


class ConversionError(Exception):
    """The file is not a CTranslate2 Whisper model this converter understands."""


def read_ct2_model(path: Path) -> tuple[str, dict[str, np.ndarray]]:
    """The spec name and every variable (aliases resolved, int8/int16 weights dequantised to float32)."""
    with open(path, "rb") as file:
        version = _unpack(file, "<I")
        if version < 5:
            raise ConversionError(f"{path}: CTranslate2 binary version {version} is too old")
        spec = _string(file)
        _unpack(file, "<I")  # spec revision
        variables = {}
        for _ in range(_unpack(file, "<I")):
            name = _string(file)
            shape = [_unpack(file, "<I") for _ in range(_unpack(file, "<B"))]
            dtype, size = _DTYPES[_unpack(file, "<B")], _unpack(file, "<I")
            raw = file.read(size)
            if dtype == "bfloat16":
                array = (np.frombuffer(raw, np.uint16).astype(np.uint32) << 16).view(np.float32)
            else:
                array = np.frombuffer(raw, dtype)
            variables[name] = array.reshape(shape)
        for _ in range(_unpack(file, "<I")):
            alias, target = _string(file), _string(file)
            variables[alias] = variables[target]
    for name in [n for n in variables if n.endswith("/weight_scale")]:
        weight = name.removesuffix("_scale")
        scale = variables.pop(name).astype(np.float32)
        variables[weight] = variables[weight].astype(np.float32) / scale.reshape(-1, *[1] * (variables[weight].ndim - 1))
    return spec, variables


def convert(ct2_dir: Path, output: Path) -> Path:
    """Write ``output`` as ``{"dims", "model_state_dict", "alignment_heads"}``, loadable by ``whisper.load_model``."""
    import torch

    spec, ct2 = read_ct2_model(Path(ct2_dir) / "model.bin")
    if spec != "WhisperSpec":
        raise ConversionError(f"{ct2_dir}: a {spec} model, not Whisper")
    dims = _dims(ct2)
    state = {}
    for side, prefix in (("encoder", "encoder"), ("decoder", "decoder")):
        layers = dims["n_audio_layer" if side == "encoder" else "n_text_layer"]
        for i in range(layers):
            state.update(_block(ct2, f"{side}/layer_{i}", f"{prefix}.blocks.{i}", cross=side == "decoder"))
    state.update({
        "encoder.conv1.weight": ct2["encoder/conv1/weight"], "encoder.conv1.bias": ct2["encoder/conv1/bias"],
        "encoder.conv2.weight": ct2["encoder/conv2/weight"], "encoder.conv2.bias": ct2["encoder/conv2/bias"],
        "encoder.positional_embedding": ct2["encoder/position_encodings/encodings"],
        "encoder.ln_post.weight": ct2["encoder/layer_norm/gamma"], "encoder.ln_post.bias": ct2["encoder/layer_norm/beta"],
        "decoder.token_embedding.weight": ct2["decoder/embeddings/weight"],
        "decoder.positional_embedding": ct2["decoder/position_encodings/encodings"],
        "decoder.ln.weight": ct2["decoder/layer_norm/gamma"], "decoder.ln.bias": ct2["decoder/layer_norm/beta"],
    })
    checkpoint = {
        "dims": dims,
        "model_state_dict": {name: torch.from_numpy(np.array(value, dtype=np.float16)) for name, value in state.items()},
        "alignment_heads": _alignment_heads(Path(ct2_dir) / "config.json", dims),
    }
    output = Path(output)
    temporary = output.with_name(output.name + ".part")
    torch.save(checkpoint, temporary)
    temporary.replace(output)
    return output


def _block(ct2: dict, source: str, target: str, cross: bool) -> dict[str, np.ndarray]:
    attention = f"{source}/self_attention"
    q, k, v = np.split(ct2[f"{attention}/linear_0/weight"], 3)
    qb, _kb, vb = np.split(ct2[f"{attention}/linear_0/bias"], 3)
    out = {
        f"{target}.attn.query.weight": q, f"{target}.attn.query.bias": qb,
        f"{target}.attn.key.weight": k,
        f"{target}.attn.value.weight": v, f"{target}.attn.value.bias": vb,
        f"{target}.attn.out.weight": ct2[f"{attention}/linear_1/weight"], f"{target}.attn.out.bias": ct2[f"{attention}/linear_1/bias"],
        f"{target}.attn_ln.weight": ct2[f"{attention}/layer_norm/gamma"], f"{target}.attn_ln.bias": ct2[f"{attention}/layer_norm/beta"],
        f"{target}.mlp.0.weight": ct2[f"{source}/ffn/linear_0/weight"], f"{target}.mlp.0.bias": ct2[f"{source}/ffn/linear_0/bias"],
        f"{target}.mlp.2.weight": ct2[f"{source}/ffn/linear_1/weight"], f"{target}.mlp.2.bias": ct2[f"{source}/ffn/linear_1/bias"],
        f"{target}.mlp_ln.weight": ct2[f"{source}/ffn/layer_norm/gamma"], f"{target}.mlp_ln.bias": ct2[f"{source}/ffn/layer_norm/beta"],
    }
    if cross:
        attention = f"{source}/attention"
        k, v = np.split(ct2[f"{attention}/linear_1/weight"], 2)
        _kb, vb = np.split(ct2[f"{attention}/linear_1/bias"], 2)
        out.update({
            f"{target}.cross_attn.query.weight": ct2[f"{attention}/linear_0/weight"],
            f"{target}.cross_attn.query.bias": ct2[f"{attention}/linear_0/bias"],
            f"{target}.cross_attn.key.weight": k,
            f"{target}.cross_attn.value.weight": v, f"{target}.cross_attn.value.bias": vb,
            f"{target}.cross_attn.out.weight": ct2[f"{attention}/linear_2/weight"],
            f"{target}.cross_attn.out.bias": ct2[f"{attention}/linear_2/bias"],
            f"{target}.cross_attn_ln.weight": ct2[f"{attention}/layer_norm/gamma"],
            f"{target}.cross_attn_ln.bias": ct2[f"{attention}/layer_norm/beta"],
        })
    return out


def _dims(ct2: dict) -> dict[str, int]:
    def count(side: str) -> int:
        return len({name.split("/")[1] for name in ct2 if re.match(rf"{side}/layer_\d+/", name)})

    audio_ctx, audio_state = ct2["encoder/position_encodings/encodings"].shape
    text_ctx, text_state = ct2["decoder/position_encodings/encodings"].shape
    return {
        "n_mels": int(ct2["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(audio_ctx), "n_audio_state": int(audio_state),
        "n_audio_head": int(ct2["encoder/num_heads"]), "n_audio_layer": count("encoder"),
        "n_vocab": int(ct2["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(text_ctx), "n_text_state": int(text_state),
        "n_text_head": int(ct2["decoder/num_heads"]), "n_text_layer": count("decoder"),
    }


def _alignment_heads(config: Path, dims: dict) -> bytes | None:
    """CTranslate2's ``alignment_heads`` pairs in whisper's packed form (gzip + base85 of a bool mask)."""
    if not config.is_file():
        return None
    pairs = json.loads(config.read_text()).get("alignment_heads")
    if not pairs:
        return None
    mask = np.zeros((dims["n_text_layer"], dims["n_text_head"]), dtype=bool)
    for layer, head in pairs:
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes()))


def _unpack(file: BinaryIO, fmt: str) -> int:
    return struct.unpack(fmt, file.read(struct.calcsize(fmt)))[0]


def _string(file: BinaryIO) -> str:
    return file.read(_unpack(file, "<H"))[:-1].decode("utf-8")
