#!/usr/bin/env python3
"""Checks the mean_abs metric of an aec run (Python 3 standard library only).

Usage: mean_abs.py METRICS CODES NAME

The last epoch's val_NAME_mean_abs in the metrics.csv METRICS is, to 1e-5
relative, the mean of |v| over every number of the CSV file CODES (aec
encode of the validation data with the run's final weights, columns
NAME0, NAME1, ...), and differs by more than 1e-3 relative from the mean of
the signed numbers (so the code has negative values and the metric takes
their absolute values).

Prints what it found and exits 0 when the property holds, 1 when it does not.
"""

import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics  # noqa: E402 (Inputs/metrics.py)


def main(metrics_path, codes_path, name):
    _, rows = metrics.read(metrics_path)
    if not rows:
        raise SystemExit("mean_abs.py: %s has no epoch" % metrics_path)
    reported = float(rows[-1]["val_%s_mean_abs" % name])
    with open(codes_path, newline="") as f:
        table = list(csv.reader(f))
    columns = [i for i, c in enumerate(table[0]) if c.startswith(name)]
    values = [float(r[i]) for r in table[1:] for i in columns]
    if not values:
        raise SystemExit("mean_abs.py: %s has no column %s*" % (codes_path, name))
    absolute = sum(abs(v) for v in values) / len(values)
    signed = sum(values) / len(values)
    ok = abs(reported - absolute) <= 1e-5 * absolute
    ok = ok and abs(signed - absolute) > 1e-3 * absolute
    print("val_%s_mean_abs %.7g, mean |code| of %d numbers %.7g, signed mean %.7g: %s"
          % (name, reported, len(values), absolute, signed,
             "as computed" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
