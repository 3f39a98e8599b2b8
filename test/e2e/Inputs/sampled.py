#!/usr/bin/env python3
"""Checks that codes drawn by `--sample` are z = mu + exp(logvar / 2) * eps
with eps standard normal (Python 3 standard library only).

Usage: sampled.py MU LOGVAR Z...
  MU, LOGVAR and each Z are FILE:NAME tensors of safetensors files (as aec
  encode writes them), of the same shape. eps = (z - mu) / exp(logvar / 2)
  is pooled over every Z; with n values, its mean must lie within 4
  standard errors (4 / sqrt(n)) of 0 and its standard deviation within
  4 / sqrt(2 n) of 1 (the standard error of a normal sample's standard
  deviation), so a correct sampler fails about once in 15,000 runs, and a
  seed that fixes the draws never does.

Prints n, the mean and the standard deviation; exits 0 when both hold.
"""

import math
import sys

from safetensors import load, values


def read(spec):
    path, name = spec.rsplit(":", 1)
    _, tensors = load(path)
    dtype, shape, raw = tensors[name]
    return list(values(dtype, raw))


def main():
    mu, logvar = read(sys.argv[1]), read(sys.argv[2])
    eps = []
    for spec in sys.argv[3:]:
        z = read(spec)
        if len(z) != len(mu) or len(logvar) != len(mu):
            print("WRONG: %s has %d values, mu %d, logvar %d" % (
                spec, len(z), len(mu), len(logvar)))
            return 1
        eps += [(a - m) / math.exp(v / 2) for a, m, v in zip(z, mu, logvar)]
    n = len(eps)
    mean = sum(eps) / n
    std = math.sqrt(sum((e - mean) ** 2 for e in eps) / (n - 1))
    ok = abs(mean) <= 4 / math.sqrt(n) and abs(std - 1) <= 4 / math.sqrt(2 * n)
    print("%s: n %d, mean %.3f (within %.3f of 0), std %.3f (within %.3f "
          "of 1)" % ("normal" if ok else "NOT NORMAL", n, mean,
                     4 / math.sqrt(n), std, 4 / math.sqrt(2 * n)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
