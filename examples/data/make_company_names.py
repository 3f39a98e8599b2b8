#!/usr/bin/env python3
"""Extract the organization names of Debian's ieee-data into company_names.txt.

examples/company_names.aenet (and its GRU and many-to-many variants) train a
character model on a list of company names. The closest such list on a Debian
machine is the IEEE registration authority's public listing of who holds MAC
address blocks, which Debian ships in the package `ieee-data` (public domain):
/usr/share/ieee-data/{oui,mam,oui36,iab}.csv, one assignment per row, with the
columns Registry, Assignment, Organization Name, Organization Address.

This script
  1. reads the "Organization Name" column of the four files (46,524 rows in
     ieee-data 20220827.1),
  2. cleans each name so that invisible differences do not make two names or
     extra vocabulary symbols: Unicode NFC (a letter and its combining accent
     become one character), format characters such as zero-width spaces and
     soft hyphens removed, runs of white space (tabs, ideographic spaces)
     made one space, leading and trailing spaces stripped; empty names are
     dropped,
  3. keeps each distinct name once (29,569 names),
  4. puts them in a fixed pseudo-random order (xorshift64* seeded with SEED,
     Fisher-Yates, the same on every Python version): aec's `split` takes the
     validation windows from the end of the text, and a sorted list would
     validate on names that all start with 'Z',
  5. writes them one per line, UTF-8, each line ending in a newline (the
     newline is the symbol that teaches the model where a name ends).

The result is shipped as examples/data/company_names.txt, so that the
examples train from a checkout without ieee-data and their vocabulary size V
(the number of distinct characters, written in the models) cannot change with
another release of the package; run this script again only to rebuild it.
Standard library only. Options: --ieee DIR (default /usr/share/ieee-data),
--out FILE (default: company_names.txt next to this script). Prints the
number of names and of distinct characters; exits 1 with a message when a
file is missing or has no "Organization Name" column.
"""

import argparse
import csv
import os
import sys
import unicodedata

# The seeded Fisher-Yates shuffle that splits the MNIST digits, so that the
# order is the same on every Python version.
from fetch_mnist import shuffled

SOURCES = ("oui.csv", "mam.csv", "oui36.csv", "iab.csv")
COLUMN = "Organization Name"
SEED = 0x1EEEDA7A


class ExtractError(Exception):
    pass


def clean(name):
    """|name| in NFC without format characters and with single spaces."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c) != "Cf")
    return " ".join(name.split())


def read_names(ieee_dir):
    """(the set of cleaned names, the number of rows read)."""
    names, rows = set(), 0
    for source in SOURCES:
        path = os.path.join(ieee_dir, source)
        try:
            with open(path, encoding="utf-8", newline="") as f:
                reader = csv.DictReader(f)
                if COLUMN not in (reader.fieldnames or []):
                    raise ExtractError("%s has no '%s' column" % (path, COLUMN))
                for row in reader:
                    rows += 1
                    name = clean(row[COLUMN] or "")
                    if name:
                        names.add(name)
        except FileNotFoundError:
            raise ExtractError("%s does not exist; install Debian's ieee-data "
                               "(`apt-get install ieee-data`)" % path)
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise ExtractError("cannot read %s: %s" % (path, e))
    return names, rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ieee", default="/usr/share/ieee-data",
                        help="folder of the ieee-data CSV files "
                             "(default: %(default)s)")
    parser.add_argument("--out", default=os.path.join(here, "company_names.txt"),
                        help="the text file to write (default: %(default)s)")
    args = parser.parse_args()

    names, rows = read_names(args.ieee)
    text = "".join(name + "\n" for name in shuffled(sorted(names), SEED))
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, args.out)
    print("make_company_names: wrote %s: %d unique names of %d rows, "
          "%d characters, %d distinct (the models' V)"
          % (args.out, len(names), rows, len(text), len(set(text))))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ExtractError as e:
        print("make_company_names: error: %s" % e, file=sys.stderr)
        sys.exit(1)
    except OSError as e:
        print("make_company_names: error: %s" % e, file=sys.stderr)
        sys.exit(1)
