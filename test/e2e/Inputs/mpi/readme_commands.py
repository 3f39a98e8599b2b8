#!/usr/bin/env python3
"""Runs the mpirun commands of README.md's "Beyond one machine" section as
a user would, each with its output folder under OUT.

  readme_commands.py README AEC OUT MPIRUN...

Each command runs in README's folder; its `mpirun` becomes MPIRUN... (the
test's flags: as root, oversubscribed), `build/bin/aec` becomes AEC, and
`--out OUT/<n>` is added.
Prints each command and its last line; exits 1 when one fails or when the
section has none.
"""

import os
import re
import subprocess
import sys


def main():
    readme, aec, out = sys.argv[1:4]
    mpirun = sys.argv[4:]
    text = open(readme).read()
    section = text.split("## Beyond one machine", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = re.sub(r"\\\n\s*", " ", block).strip().splitlines()
    commands = [c for c in commands if c.startswith("mpirun ")]
    if not commands:
        print("no mpirun command in the section")
        return 1
    for n, command in enumerate(commands):
        words = command.split()
        assert words[0] == "mpirun" and words[3] == "build/bin/aec", command
        argv = mpirun + words[1:3] + [aec] + words[4:] + [
            "--out", "%s/%d" % (out, n)]
        # From the repository's top, where the README's paths start.
        result = subprocess.run(argv, capture_output=True, text=True,
                                cwd=os.path.dirname(os.path.abspath(readme)))
        last = result.stdout.strip().splitlines()[-1:] or [""]
        print("ran: %s\n%s" % (command, last[0]))
        if result.returncode != 0:
            print(result.stdout + result.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
