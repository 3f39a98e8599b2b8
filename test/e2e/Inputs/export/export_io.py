#!/usr/bin/env python3
"""Inputs and checks of the tests of exported libraries (standard library only).

Usage:
  export_io.py inputs OUT.safetensors DIR NAME=D0xD1x...[:one-hot] ...
      Writes tensor NAME of shape D0 x D1 x ... to OUT (for aec predict
      --inputs) and the same floats, raw little-endian, to DIR/NAME.f32 (for
      the C program). Values are pseudo-random in [0, 1), or with :one-hot a 1
      at a pseudo-random column of each row of the last extent.
  export_io.py compare PRED.safetensors NAME FILE.f32 TOLERANCE
      Tensor NAME of PRED (aec predict's) and the raw floats of FILE (the C
      program's) hold as many values, and each pair differs by at most
      TOLERANCE * max(1, |aec's value|). Prints the largest difference.
"""

import json
import struct
import sys


def random_floats(count, seed):
    """A linear congruential generator: the same floats on every machine."""
    state, values = seed, []
    for _ in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        values.append((state >> 40) / float(1 << 24))
    return values


def inputs(out, folder, specs):
    header, body = {}, b""
    for seed, spec in enumerate(specs, start=1):
        name, rest = spec.split("=")
        dims_text, _, kind = rest.partition(":")
        dims = [int(d) for d in dims_text.split("x")]
        count = 1
        for d in dims:
            count *= d
        draws = random_floats(count, seed)
        if kind == "one-hot":
            last = dims[-1]
            values = [0.0] * count
            for row in range(count // last):
                values[row * last + int(draws[row] * last)] = 1.0
        else:
            values = draws
        data = struct.pack("<%df" % count, *values)
        header[name] = {"dtype": "F32", "shape": dims,
                        "data_offsets": [len(body), len(body) + len(data)]}
        body += data
        with open("%s/%s.f32" % (folder, name), "wb") as f:
            f.write(data)
    text = json.dumps(header).encode()
    with open(out, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + body)


def tensor(path, name):
    with open(path, "rb") as f:
        blob = f.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length])
    entry = header[name]
    begin, end = entry["data_offsets"]
    data = blob[8 + length + begin:8 + length + end]
    return list(struct.unpack("<%df" % (len(data) // 4), data))


def compare(pred, name, raw, tolerance):
    want = tensor(pred, name)
    with open(raw, "rb") as f:
        data = f.read()
    got = list(struct.unpack("<%df" % (len(data) // 4), data))
    if len(got) != len(want):
        print("%s: %d values; aec predict's '%s' has %d"
              % (raw, len(got), name, len(want)))
        return 1
    worst, at = 0.0, 0
    for i, (g, w) in enumerate(zip(got, want)):
        d = abs(g - w) / max(1.0, abs(w))
        if not d <= worst:  # also catches NaN
            worst, at = d, i
    print("%s: %d values, largest difference %.3g (value %d)"
          % (name, len(want), worst, at))
    return 0 if worst <= tolerance else 1


def main():
    if sys.argv[1] == "inputs":
        inputs(sys.argv[2], sys.argv[3], sys.argv[4:])
        return 0
    return compare(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))


if __name__ == "__main__":
    sys.exit(main())
