#!/usr/bin/env python3
"""Writes a safetensors file of F32 tensors for `aec predict --inputs`.

Usage: make_inputs.py OUT NAME=D0xD1x...[:one-hot] ...
  Each tensor NAME of shape D0 x D1 x ... holds 0.0, 0.1, 0.2, ... (wrapping
  at 1.0), or with :one-hot, a 1 in row r at column r mod (last extent).
"""

import json
import struct
import sys


def main():
    out = sys.argv[1]
    header, body = {}, b""
    for spec in sys.argv[2:]:
        name, rest = spec.split("=")
        dims_text, _, kind = rest.partition(":")
        dims = [int(d) for d in dims_text.split("x")]
        count = 1
        for d in dims:
            count *= d
        if kind == "one-hot":
            last = dims[-1]
            values = [1.0 if i % last == (i // last) % last else 0.0
                      for i in range(count)]
        else:
            values = [(i % 10) / 10 for i in range(count)]
        data = struct.pack("<%df" % count, *values)
        header[name] = {"dtype": "F32", "shape": dims,
                        "data_offsets": [len(body), len(body) + len(data)]}
        body += data
    text = json.dumps(header).encode()
    with open(out, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + body)


if __name__ == "__main__":
    main()
