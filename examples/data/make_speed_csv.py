#!/usr/bin/env python3
"""Generate the synthetic IMU / speed data set of examples/lstm_speed.aenet.

Each sequence is a car that starts at rest and drives for 20 to 50 readings,
one reading every DT = 0.5 s, with a piecewise-constant longitudinal
acceleration (hold times of 1 to 4 s, accelerating, cruising or braking; the
car never rolls backwards and stays below 130 km/h) and a slowly changing yaw
rate (turns). A 6-channel IMU mounted in the car reads, per step:

  ax  longitudinal acceleration [m/s^2]  a + bias + noise(0.15)
  ay  lateral acceleration      [m/s^2]  v * yaw_rate + noise(0.15)
  az  vertical acceleration     [m/s^2]  9.81 + road vibration growing with v
  gx  roll rate                 [rad/s]  noise(0.01)
  gy  pitch rate                [rad/s]  0.02 * a + noise(0.01)
  gz  yaw rate                  [rad/s]  yaw_rate + noise(0.01)

where the per-sequence bias of ax is drawn from noise(0.05). The target is the
speed at the end of the sequence in km/h, which is 3.6 * DT * (sum of the true
accelerations): a many-to-one regressor has to integrate ax over the sequence
(the other channels carry weaker hints: ay / gz ~ v, and the vibration on az).

Files (written next to this script, CSV with a header row):
  speed_{train,val,test}.csv           seq_id,t,ax,ay,az,gx,gy,gz
  speed_{train,val,test}_targets.csv   seq_id,kmh
  speed_trainval.csv, speed_trainval_targets.csv   train and val together
Readings of one sequence are consecutive rows with the same seq_id, t is the
time in seconds; the targets hold one row per sequence, in the same order.
The three splits are drawn one after the other from one stream (ids 0-159
train, 160-199 val, 200-239 test), so adding the test split left the train
and val files as they were. As in the course work, the model is chosen on
train / val (model lstm_speed), then trained again on train + val and
measured once on test (model lstm_speed_final, which reads speed_trainval).

Deterministic: everything is drawn from random.Random(SEED).random(), whose
sequence Python guarantees across versions (Gaussians via Box-Muller here, not
random.gauss). Standard library only. Usage: make_speed_csv.py [--out DIR]
"""

import argparse
import math
import os
import random
import sys

SEED = 20240611
DT = 0.5            # seconds between readings
MIN_LEN, MAX_LEN = 20, 50
TRAIN_SEQUENCES = 160
VAL_SEQUENCES = 40
TEST_SEQUENCES = 40
MAX_SPEED = 130 / 3.6  # m/s
G = 9.81


class Noise:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.spare = None

    def uniform(self, a, b):
        return a + (b - a) * self.rng.random()

    def integer(self, a, b):
        """An integer in [a, b]."""
        return a + int(self.rng.random() * (b - a + 1))

    def gauss(self, sigma):
        if self.spare is not None:
            z, self.spare = self.spare, None
            return sigma * z
        u1 = 1.0 - self.rng.random()  # (0, 1]
        u2 = self.rng.random()
        r = math.sqrt(-2.0 * math.log(u1))
        self.spare = r * math.sin(2 * math.pi * u2)
        return sigma * r * math.cos(2 * math.pi * u2)


def sequence(noise):
    """([(ax, ay, az, gx, gy, gz)] readings, final speed in km/h)."""
    length = noise.integer(MIN_LEN, MAX_LEN)
    bias = noise.gauss(0.05)
    v = 0.0            # m/s
    yaw = 0.0          # rad/s
    accel, hold = 0.0, 0
    readings = []
    for _ in range(length):
        if hold == 0:
            # Mostly accelerate early on, then a mix of cruise, speed-up and braking.
            choice = noise.rng.random()
            if v < 3 or choice < 0.4:
                accel = noise.uniform(0.5, 3.0)
            elif choice < 0.7:
                accel = noise.uniform(-0.3, 0.3)
            else:
                accel = noise.uniform(-3.5, -0.5)
            hold = noise.integer(2, 8)
        hold -= 1
        yaw = max(-0.3, min(0.3, 0.9 * yaw + noise.gauss(0.04)))
        # The true acceleration of this step: what the speed actually changes by.
        a = accel
        if v + a * DT < 0:
            a = -v / DT
        elif v + a * DT > MAX_SPEED:
            a = (MAX_SPEED - v) / DT
        v += a * DT
        readings.append((
            a + bias + noise.gauss(0.15),
            v * yaw + noise.gauss(0.15),
            G + noise.gauss(0.05 + 0.01 * v),
            noise.gauss(0.01),
            0.02 * a + noise.gauss(0.01),
            yaw + noise.gauss(0.01),
        ))
    return readings, v * 3.6


def draw(count, noise, first_id):
    """(reading rows, target rows) of |count| sequences, without headers."""
    rows, targets = [], []
    for seq_id in range(first_id, first_id + count):
        readings, kmh = sequence(noise)
        for step, r in enumerate(readings):
            rows.append("%d,%.1f,%s" % (seq_id, step * DT,
                                        ",".join("%.3f" % x for x in r)))
        targets.append("%d,%.2f" % (seq_id, kmh))
    return rows, targets


def write(out_dir, name, rows, targets):
    for suffix, header, lines in (("", "seq_id,t,ax,ay,az,gx,gy,gz", rows),
                                  ("_targets", "seq_id,kmh", targets)):
        path = os.path.join(out_dir, "speed_%s%s.csv" % (name, suffix))
        with open(path, "w", encoding="ascii", newline="\n") as f:
            f.write("\n".join([header] + lines) + "\n")
        print("make_speed_csv: wrote %s (%d rows)" % (path, len(lines)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                        help="output directory (default: %(default)s)")
    args = parser.parse_args()
    try:
        os.makedirs(args.out, exist_ok=True)
        noise = Noise(SEED)
        train = draw(TRAIN_SEQUENCES, noise, 0)
        val = draw(VAL_SEQUENCES, noise, TRAIN_SEQUENCES)
        test = draw(TEST_SEQUENCES, noise, TRAIN_SEQUENCES + VAL_SEQUENCES)
        write(args.out, "train", *train)
        write(args.out, "val", *val)
        write(args.out, "test", *test)
        write(args.out, "trainval", train[0] + val[0], train[1] + val[1])
    except OSError as e:
        print("make_speed_csv: error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
