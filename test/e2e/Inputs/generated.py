#!/usr/bin/env python3
"""Checks what aec generate printed (Python 3 standard library only).

Usage:
  generated.py text OUT CORPUS --prime P --length N
      OUT is P followed by N characters and a newline, and every generated
      character occurs in CORPUS (the text the model was trained on).
  generated.py names OUT CORPUS --count K --length N
      OUT is K lines, each a name of 1 to N characters, all of them
      characters of CORPUS.

Prints one line per problem, then a summary line; exits 0 when OUT is as
described, 1 otherwise.
"""

import argparse
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("form", choices=["text", "names"])
    parser.add_argument("out")
    parser.add_argument("corpus")
    parser.add_argument("--prime", default="")
    parser.add_argument("--length", type=int, required=True)
    parser.add_argument("--count", type=int)
    args = parser.parse_args()
    with open(args.out, encoding="utf-8", newline="") as f:
        out = f.read()
    with open(args.corpus, encoding="utf-8", newline="") as f:
        vocabulary = set(f.read())
    problems = []
    if args.form == "text":
        if not out.startswith(args.prime) or not out.endswith("\n"):
            problems.append("output does not start with the prime and end "
                            "with a newline")
        generated = out[len(args.prime):-1]
        if len(generated) != args.length:
            problems.append("%d characters generated, not %d"
                            % (len(generated), args.length))
        foreign = sorted(set(generated) - vocabulary)
        if foreign:
            problems.append("characters outside the vocabulary: %r" % foreign)
        summary = "text: %d characters of the vocabulary" % len(generated)
    else:
        names = out.split("\n")
        if names[-1] != "":
            problems.append("output does not end with a newline")
        names = names[:-1]
        if len(names) != args.count:
            problems.append("%d names, not %d" % (len(names), args.count))
        for name in names:
            if not 1 <= len(name) <= args.length:
                problems.append("name %r is not 1 to %d characters"
                                % (name, args.length))
            foreign = sorted(set(name) - vocabulary)
            if foreign:
                problems.append("name %r has characters outside the "
                                "vocabulary: %r" % (name, foreign))
        summary = "names: %d of 1 to %d characters of the vocabulary" % (
            len(names), args.length)
    for problem in problems:
        print(problem)
    print(summary if not problems else "%d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
