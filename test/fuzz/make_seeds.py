#!/usr/bin/env python3
"""Writes the seed corpora of the file-reader fuzzers.

Usage: make_seeds.py CHECKPOINT_DIR IDX_DIR CSV_DIR TEXT_DIR

Small valid files of each format, the way aec and Python's tools write them,
so that libFuzzer starts from inputs that pass the outer checks (header
length, magic bytes, JSON) and mutates the inner ones; for CSV and text also
near misses, one per kind of error the readers report, so that the paths
just past each check are a mutation away. Generated rather than committed,
so the seeds follow the formats' definitions in one readable place.
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


# CSV files as csv(...) sources read them: rows, a header, sequences grouped
# by an id column, quoting, CRLF; then near misses.
CSV_SEEDS = {
    "rows.csv": b"1,2,3\n4,5,6\n7,8,9\n",
    "header.csv": b"a,b,label\n0.5,-1e-3, 2\n1.5E2,+3,0x1p-2\n",
    "sequences.csv": b"id,ax,ay\n1,0.1,0.2\n1,0.3,0.4\n1,0.5,0.6\n"
                     b"2,0.7,0.8\nw7,-1,1\nw7,2,3\n",
    "sequence-last.csv": b"0.5,2,a\n0.25,3,a\n1,4,b\n",
    "targets.csv": b"id,y\n1,0.5\n2,1.5\nw7,-2\n",
    "id-twice.csv": b"1,0.5\n2,1.5\n1,2\n",
    "quoted-crlf.csv": b'"name, with comma",value\r\n"1",2\r\n\r\n'
                       b'"say ""hi""",4\r\n"5" , 6',
    "blank-lines.csv": b"\n  \n1,2\n\t\n3,4",
    "ragged.csv": b"1,2,3\n4,5\n",
    "id-comes-back.csv": b"7,1\n7,2\n8,3\n7,4\n",
    "not-numbers.csv": b"1,nan\n2,inf\n3,1e39\n4,\n5,x1\n",
    "open-quote.csv": b'1,"2\n3,4\n',
    "header-only.csv": b"a,b,c\n",
    "nul.csv": b"1,2\x00\n3,4\n",
}

# Texts as text(...) sources read them: ASCII, multi-byte UTF-8, a byte
# order mark, a vocabulary as a checkpoint stores it; then invalid UTF-8 of
# each kind the decoder names, and a text too short for most windows.
TEXT_SEEDS = {
    "ascii.txt": b"to be, or not to be:\nthat is the question.\n",
    "utf8.txt": "na\u00efve caf\u00e9 \u2014 \u65e5\u672c\u8a9e "
                "\U0001f600\U0010ffff\r\n".encode(),
    "bom.txt": b"\xef\xbb\xbfabcabc\n",
    "vocabulary.txt": "\n !,.abc\u00e9\u20ac".encode(),
    "short.txt": b"a",
    "overlong.txt": b"ab\xc0\x80cd",
    "surrogate.txt": b"ab\xed\xa0\x80cd",
    "above-max.txt": b"ab\xf4\x90\x80\x80",
    "cut.txt": b"abc\xf0\x9f\x98",
    "continuation.txt": b"\x80abc",
    "bad-lead.txt": b"abc\xf8\x88\x80\x80\x80",
    "bom-only.txt": b"\xef\xbb\xbf",
}


def write_all(directory, seeds):
    for name, data in seeds.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)


def main():
    checkpoints, idxs, csvs, texts = sys.argv[1:5]
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
        # Once loaded, then refused on saving (a crash the fuzzer found).
        "empty-name": safetensors([("", [1], [1])]),
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

    write_all(csvs, CSV_SEEDS)
    write_all(texts, TEXT_SEEDS)


if __name__ == "__main__":
    main()
