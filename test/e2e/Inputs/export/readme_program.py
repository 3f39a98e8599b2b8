#!/usr/bin/env python3
"""Writes the README's C program (its only ```c block) to a file, so that
the test of aec export compiles and runs the program the README shows.

Usage: readme_program.py README.md OUT.c
"""

import sys


def main():
    with open(sys.argv[1]) as f:
        text = f.read()
    blocks = text.split("```c\n")
    if len(blocks) != 2:
        print("%s: %d ```c blocks, not 1" % (sys.argv[1], len(blocks) - 1))
        return 1
    with open(sys.argv[2], "w") as f:
        f.write(blocks[1].split("```")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
