# SPDX-License-Identifier: GPL-3.0-or-later
"""section.py FILE NAME SECTION - put the markdown in the file SECTION into FILE between the
markers <!-- NAME:begin --> and <!-- NAME:end --> (replacing what was between them), or at
the end of FILE when they are not there yet. Used by bench/plan.sh and bench/training.sh."""
import os
import sys

path, name, section_path = sys.argv[1:4]
section = open(section_path, encoding="utf-8").read().rstrip("\n")
begin, end = "<!-- %s:begin -->" % name, "<!-- %s:end -->" % name
text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
block = begin + "\n" + section + "\n" + end
b, e = text.find(begin), text.find(end)
if b >= 0 and e > b:
    text = text[:b] + block + text[e + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(path, "w", encoding="utf-8").write(text)
