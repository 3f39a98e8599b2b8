#!/usr/bin/env python3
"""Writes the seed corpora of the file-reader fuzzers.

Usage: make_seeds.py CHECKPOINT_DIR IDX_DIR

Small valid files of each format, the way aec and Python's tools write them,
so that libFuzzer starts from inputs that pass the outer checks (header
length, magic bytes, JSON) and mutates the inner ones. Generated rather than
committed, so the seeds follow the formats' definitions in one readable place.
"""

import gzip
import json
import os
import struct
import sys


def safetensors(tensors, metadata=None, sort_keys=False):
    """A safetensors file: 8-byte length, JSON header padded to 8, data."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    data = b""
    for name, shape, values in tensors:
        begin = len(data)
        data += struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape,
                        "data_offsets": [begin, len(data)]}
    text = json.dumps(header, separators=(",", ":"), sort_keys=sort_keys,
                      ensure_ascii=False).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def idx(dims, values):
    """An unsigned-byte IDX file: 00 00 08 rank, big-endian dims, bytes."""
    head = bytes([0, 0, 8, len(dims)]) + struct.pack(">%dI" % len(dims), *dims)
    return head + bytes(values)


def main():
    checkpoints, idxs = sys.argv[1], sys.argv[2]
    state = {"epoch": "3", "batch_in_epoch": "0", "step": "12",
             "epoch_sums": "0.25,0.5", "epoch_rows": "0",
             "epoch_seconds": "1.5", "model": "ae", "seed": "1",
             "source": "examples/dense_ae.aenet"}
    seeds = {
        "empty": safetensors([]),
        "metadata-only": safetensors([], {"epoch": "1"}),
        "aec-dense": safetensors(
            [("encoder.dense.kernel", [2, 3], [1, -2, 3.5, 1e-30, -0.0, 7]),
             ("encoder.dense.bias", [3], [0.25, 0.5, 0.75]),
             ("encoder.dense.kernel/m", [2, 3], [0] * 6),
             ("step", [], [42]), ("empty", [0, 4], [])], state),
        "escapes": safetensors([("w\u00e9", [1], [1])],
                               {"source": "a \"b\"\n\\c\u0007\u20ac"}),
        "python-sorted": safetensors([("b", [1], [2]), ("a", [2, 1], [1, 3])],
                                     sort_keys=True),
    }
    for name, data in seeds.items():
        with open(os.path.join(checkpoints, name + ".safetensors"), "wb") as f:
            f.write(data)

    images = idx([2, 3, 3], range(18))
    seeds = {
        "labels.idx": idx([5], [0, 1, 2, 9, 255]),
        "images.idx": images,
        "images.idx.gz": gzip.compress(images, mtime=0),
        "rank4.idx": idx([1, 1, 2, 2], [0, 64, 128, 255]),
    }
    for name, data in seeds.items():
        with open(os.path.join(idxs, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
