#!/usr/bin/env python3
"""Generate the fixed-length IMU / speed data of bench/lstm_speed600.aenet.

The drives of examples/data/make_speed_csv.py (same car, same IMU channels,
same noise, same target: the speed in km/h at the end), but every sequence
exactly T = 600 readings long (5 minutes at one reading every 0.5 s), so that
aec and the Python frameworks train the same [600, 6] inputs without padding
or masking. Deterministic (random.Random, as that script), standard library
only; the default 2,048 training sequences make a ~60 MB CSV, which is why
it is generated at bench time into data/ (not in git) rather than shipped.

  make_speed600_csv.py [--out DIR] [--count N]

writes DIR/speed_train.csv (seq_id,t,ax,ay,az,gx,gy,gz) and
DIR/speed_train_targets.csv (seq_id,kmh); default DIR: data/speed600.
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "examples", "data"))
import make_speed_csv as drives  # noqa: E402

STEPS = 600
SEED = 20261129


def write(out_dir, count):
    """Draws |count| drives with the example's Noise and sequence() (only
    those two: the example's file writing may change) and writes them."""
    noise = drives.Noise(SEED)
    rows = ["seq_id,t,ax,ay,az,gx,gy,gz"]
    targets = ["seq_id,kmh"]
    for seq_id in range(count):
        readings, kmh = drives.sequence(noise)
        for step, r in enumerate(readings):
            rows.append("%d,%.1f,%s" % (seq_id, step * drives.DT,
                                        ",".join("%.3f" % x for x in r)))
        targets.append("%d,%.2f" % (seq_id, kmh))
    for suffix, lines in (("", rows), ("_targets", targets)):
        path = os.path.join(out_dir, "speed_train%s.csv" % suffix)
        with open(path, "w", encoding="ascii", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        print("make_speed600_csv: wrote %s (%d rows)" % (path, len(lines) - 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "data",
                                                      "speed600"),
                        help="output directory (default: %(default)s)")
    parser.add_argument("--count", type=int, default=2048,
                        help="training sequences (default: %(default)s)")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be at least 1")
    # sequence() draws each length in [MIN_LEN, MAX_LEN]: pin both to T.
    drives.MIN_LEN = drives.MAX_LEN = STEPS
    try:
        os.makedirs(args.out, exist_ok=True)
        write(args.out, args.count)
    except OSError as e:
        print("make_speed600_csv: error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
