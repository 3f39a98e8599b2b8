#!/usr/bin/env python3
"""The README program's striped image, and the check of its printed code.

Usage:
  stripes.py OUT.safetensors
      Writes x [1, 784]: every other row of 28 pixels 1, the rest 0, as the
      README's encode.c builds it.
  stripes.py --compare CODES.csv PRINTED.txt
      The code aec encode wrote to CODES.csv (its first row) and the numbers
      encode.c printed agree to the printed three decimals.
"""

import json
import struct
import sys


def main():
    if sys.argv[1] != "--compare":
        values = [float((i // 28) % 2) for i in range(784)]
        data = struct.pack("<784f", *values)
        header = json.dumps({"x": {"dtype": "F32", "shape": [1, 784],
                                   "data_offsets": [0, len(data)]}}).encode()
        with open(sys.argv[1], "wb") as f:
            f.write(struct.pack("<Q", len(header)) + header + data)
        return 0
    with open(sys.argv[2]) as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    row = [float(v) for v in lines[1].split(",")[:64]]
    with open(sys.argv[3]) as f:
        printed = [float(v) for v in f.read().split()]
    bad = [i for i, (a, b) in enumerate(zip(row, printed))
           if abs(a - b) > 0.0005 + 1e-6]
    if len(printed) != 64 or bad:
        print("printed %d values; differ from aec encode at %s"
              % (len(printed), bad))
        return 1
    print("64 values agree with aec encode")
    return 0


if __name__ == "__main__":
    sys.exit(main())
