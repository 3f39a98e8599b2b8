#!/usr/bin/env python3
"""Safetensors files as dicts of numpy float32 arrays, for the export tests'
helpers that run in the test venv (onnx_check.py, keras_models.py)."""

import json
import struct

import numpy as np


def save(path, tensors):
    """Writes |tensors| (name: array) as F32 tensors to |path|."""
    header, body = {}, b""
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [len(body), len(body) + len(data)]}
        body += data
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + body)


def load(path):
    """The F32 tensors of |path| by name, __metadata__ left out."""
    with open(path, "rb") as f:
        blob = f.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        data = blob[8 + length + begin:8 + length + end]
        tensors[name] = np.frombuffer(data, "<f4").reshape(entry["shape"])
    return tensors
