#!/usr/bin/env python3
"""Checks that a stateful layer carries its state across samples.

Usage: stateful_carry.py SHORT LONG OUTPUT
  SHORT: predictions of a stateful model over windows of T steps (step T)
  of a text, from zero states; LONG: predictions of the same weights
  without state over windows of k T steps of the same text. The first
  sample of LONG covers the first k samples of SHORT, so its steps equal
  theirs exactly when each SHORT window starts from the state the one
  before it ended with. Exits 0 when the largest difference is below 1e-5,
  else 1.
"""

import sys

from safetensors import load, values


def main():
    short_path, long_path, name = sys.argv[1:4]
    _, short = load(short_path)
    _, long = load(long_path)
    s_dtype, s_shape, s_raw = short[name]
    l_dtype, l_shape, l_raw = long[name]
    s_vals = values(s_dtype, s_raw)
    l_vals = values(l_dtype, l_raw)
    steps, width = s_shape[1], s_shape[2]
    assert l_shape[1] % steps == 0 and l_shape[2] == width
    worst = 0.0
    for t in range(l_shape[1]):
        for k in range(width):
            a = s_vals[t * width + k]
            b = l_vals[t * width + k]
            worst = max(worst, abs(a - b))
    print(f"largest difference {worst:.3g} over {l_shape[1] // steps} windows")
    return 0 if worst < 1e-5 else 1


if __name__ == "__main__":
    sys.exit(main())
