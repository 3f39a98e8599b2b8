#!/usr/bin/env python3
"""Checks which parameters of two checkpoints are bit-for-bit the same.

Usage: frozen.py BEFORE AFTER same|differ PREFIX [same|differ PREFIX ...]

Every parameter (optimizer state, "NAME/m", is left out) of BEFORE whose
name starts with a PREFIX marked `same` must have the same shape and bytes in
AFTER; every one under a PREFIX marked `differ` must be in AFTER with other
bytes. Prints one line per parameter checked, then "frozen check: N same, M
changed" and exits 0, or names the first violation and exits 1.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors import load  # noqa: E402  (the e2e tests' own reader)


def main(argv):
    if len(argv) < 5 or len(argv) % 2 != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    _, before = load(argv[1])
    _, after = load(argv[2])
    rules = [(argv[i + 1], argv[i]) for i in range(3, len(argv), 2)]
    counts = {"same": 0, "differ": 0}
    for name in sorted(before):
        if "/" in name:
            continue
        want = next((w for prefix, w in rules if name.startswith(prefix)), None)
        if want is None:
            continue
        if want not in counts:
            print("unknown rule '%s'" % want, file=sys.stderr)
            return 2
        if name not in after:
            print("FAIL: %s is missing from %s" % (name, argv[2]))
            return 1
        equal = before[name][1:] == after[name][1:]
        if equal != (want == "same"):
            print("FAIL: %s %s" % (name, "is unchanged" if equal else
                                   "changed"))
            return 1
        print("%s: %s" % ("same" if equal else "changed", name))
        counts[want] += 1
    print("frozen check: %d same, %d changed" % (counts["same"],
                                                 counts["differ"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
