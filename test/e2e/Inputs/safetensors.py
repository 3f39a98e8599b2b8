#!/usr/bin/env python3
"""Reads and compares safetensors checkpoints (Python 3 standard library only).

Usage:
  safetensors.py same A B [--tolerance T] [--skip SUFFIX]...
      Every tensor of A is in B (and the reverse) with the same dtype and
      shape, and equal values: bit for bit, or within T (absolute, on every
      element) when --tolerance is given. Tensors whose names end in a
      --skip suffix (e.g. /m for Adam's first moment) are not compared.
  differ A B
      Both files hold the same tensors, and at least one differs in value.
  finite A
      Every floating-point value of A is finite (no NaN, no infinity).
  list A
      One line per tensor: name, dtype, shape; then the metadata.
  set A KEY VALUE
      Sets metadata KEY of A to the string VALUE, in place (a hostile or
      damaged checkpoint for the tests of aec train --resume).
  unset A KEY
      Removes metadata KEY of A, in place (a checkpoint of an older aec).

Prints what it found (one line per difference, then a summary line) and exits
0 when the property holds, 1 when it does not, 2 on a malformed file.
"""

import json
import math
import struct
import sys

FORMATS = {"F32": "f", "F64": "d", "I32": "i", "I64": "q", "U8": "B"}


class Malformed(Exception):
    pass


def load(path):
    """Returns (metadata, {name: (dtype, shape, raw bytes)})."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise Malformed("%s: too short for a safetensors header" % path)
    (size,) = struct.unpack("<Q", data[:8])
    if 8 + size > len(data):
        raise Malformed("%s: header of %d bytes past the end" % (path, size))
    header = json.loads(data[8:8 + size].decode("utf-8"))
    body = data[8 + size:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        if not 0 <= begin <= end <= len(body):
            raise Malformed("%s: %s: offsets %d..%d outside the %d data bytes"
                            % (path, name, begin, end, len(body)))
        count = 1
        for d in entry["shape"]:
            count *= d
        fmt = FORMATS.get(entry["dtype"])
        if fmt and struct.calcsize(fmt) * count != end - begin:
            raise Malformed("%s: %s: %s%s needs %d bytes, has %d" % (
                path, name, entry["dtype"], entry["shape"],
                struct.calcsize(fmt) * count, end - begin))
        tensors[name] = (entry["dtype"], list(entry["shape"]), body[begin:end])
    return metadata, tensors


def values(dtype, raw):
    fmt = FORMATS[dtype]
    return struct.unpack("<%d%s" % (len(raw) // struct.calcsize(fmt), fmt), raw)


def same_names(a, b, ta, tb):
    ok = True
    for name in sorted(set(ta) - set(tb)):
        print("only in %s: %s" % (a, name))
        ok = False
    for name in sorted(set(tb) - set(ta)):
        print("only in %s: %s" % (b, name))
        ok = False
    for name in sorted(set(ta) & set(tb)):
        if ta[name][:2] != tb[name][:2]:
            print("%s: %s%s vs %s%s" % (name, ta[name][0], ta[name][1],
                                       tb[name][0], tb[name][1]))
            ok = False
    return ok


def cmd_same(args):
    tolerance = None
    skip = []
    paths = []
    i = 0
    while i < len(args):
        if args[i] == "--tolerance":
            tolerance = float(args[i + 1])
            i += 2
        elif args[i] == "--skip":
            skip.append(args[i + 1])
            i += 2
        else:
            paths.append(args[i])
            i += 1
    a, b = paths
    _, ta = load(a)
    _, tb = load(b)
    ok = same_names(a, b, ta, tb)
    compared = 0
    for name in sorted(set(ta) & set(tb)):
        if any(name.endswith(s) for s in skip) or ta[name][:2] != tb[name][:2]:
            continue
        compared += 1
        raw_a, raw_b = ta[name][2], tb[name][2]
        if tolerance is None:
            if raw_a != raw_b:
                va, vb = values(ta[name][0], raw_a), values(ta[name][0], raw_b)
                diff = [k for k in range(len(va))
                        if struct.pack("<d", va[k]) != struct.pack("<d", vb[k])]
                k = diff[0]
                print("%s: %d of %d elements differ, first [%d]: %r vs %r" % (
                    name, len(diff), len(va), k, va[k], vb[k]))
                ok = False
        else:
            va, vb = values(ta[name][0], raw_a), values(ta[name][0], raw_b)
            worst = max((abs(x - y) for x, y in zip(va, vb)), default=0.0)
            if not worst <= tolerance:
                print("%s: largest difference %g exceeds %g" % (
                    name, worst, tolerance))
                ok = False
    how = "bit for bit" if tolerance is None else "within %g" % tolerance
    print("%s: %d tensors compared %s" % ("same" if ok else "DIFFERENT",
                                          compared, how))
    return 0 if ok else 1


def cmd_differ(args):
    a, b = args
    _, ta = load(a)
    _, tb = load(b)
    if not same_names(a, b, ta, tb):
        print("not comparable: the files hold different tensors")
        return 1
    differing = [n for n in sorted(ta) if ta[n][2] != tb[n][2]]
    for name in differing:
        print("differs: %s" % name)
    print("%d of %d tensors differ" % (len(differing), len(ta)))
    return 0 if differing else 1


def cmd_finite(args):
    (a,) = args
    _, ta = load(a)
    bad = 0
    for name in sorted(ta):
        dtype, _, raw = ta[name]
        if dtype not in ("F32", "F64"):
            continue
        count = sum(1 for v in values(dtype, raw) if not math.isfinite(v))
        if count:
            print("%s: %d values are not finite" % (name, count))
            bad += 1
    print("%s: %d tensors" % ("finite" if not bad else "NOT FINITE", len(ta)))
    return 0 if not bad else 1


def cmd_list(args):
    (a,) = args
    metadata, ta = load(a)
    for name in sorted(ta):
        print("%s %s %s" % (name, ta[name][0], ta[name][1]))
    for key in sorted(metadata):
        print("metadata %s = %s" % (key, metadata[key]))
    return 0


def edit_metadata(path, edit):
    """Rewrites |path| with edit(metadata) applied to its header's metadata."""
    with open(path, "rb") as f:
        data = f.read()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size].decode("utf-8"))
    metadata = header.get("__metadata__", {})
    edit(metadata)
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data[8 + size:])


def cmd_set(args):
    a, key, value = args
    edit_metadata(a, lambda m: m.__setitem__(key, value))
    print("set %s = %s" % (key, value))
    return 0


def cmd_unset(args):
    a, key = args
    edit_metadata(a, lambda m: m.pop(key))
    print("unset %s" % key)
    return 0


def main(argv):
    commands = {"same": cmd_same, "differ": cmd_differ, "finite": cmd_finite,
                "list": cmd_list, "set": cmd_set, "unset": cmd_unset}
    if len(argv) < 2 or argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return commands[argv[1]](argv[2:])
    except (Malformed, OSError, ValueError, KeyError) as e:
        print("safetensors.py: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
