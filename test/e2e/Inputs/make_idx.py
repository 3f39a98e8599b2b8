#!/usr/bin/env python3
"""Writes a small gzip'd IDX image file, good or broken in one chosen way.

Usage: make_idx.py PATH KIND

KIND is one of
  images     100 images of 28x28 unsigned bytes, a valid file
  truncated  a header that promises 1000 images of 28x28, then only 10
  magic      four bytes of magic that are not IDX's (00 00 08 <dims>)
  cut-gzip   a valid gzip'd file whose gzip stream stops halfway
  small      100 images of 10x10, valid but not the 784 pixels models expect
  labels     100 labels from 0 to 9, a valid 1-dimensional file
"""

import gzip
import struct
import sys


def idx(count, rows, cols, images=None):
    """A 3-dimensional unsigned-byte IDX file; |images| images of data."""
    images = count if images is None else images
    header = struct.pack(">BBBBIII", 0, 0, 0x08, 3, count, rows, cols)
    pixels = bytes((i * 7 + i // 784) % 256 for i in range(images * rows * cols))
    return header + pixels


def main(path, kind):
    if kind == "images":
        data = gzip.compress(idx(100, 28, 28), mtime=0)
    elif kind == "truncated":
        data = gzip.compress(idx(1000, 28, 28, images=10), mtime=0)
    elif kind == "magic":
        data = gzip.compress(b"\x1f\x8b\x08\x00" + idx(100, 28, 28)[4:], mtime=0)
    elif kind == "cut-gzip":
        whole = gzip.compress(idx(100, 28, 28), mtime=0)
        data = whole[:len(whole) // 2]
    elif kind == "small":
        data = gzip.compress(idx(100, 10, 10), mtime=0)
    elif kind == "labels":
        data = gzip.compress(struct.pack(">BBBBI", 0, 0, 0x08, 1, 100) +
                             bytes(i % 10 for i in range(100)), mtime=0)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    with open(path, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
