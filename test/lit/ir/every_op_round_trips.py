# RUN: %python %s %S/../../../ir/Ops.def %S
#
# Every op of ir/Ops.def appears (as an op, not in a comment) in at least one
# roundtrip_*.kir test of this directory, so adding an op without a
# round-trip test fails here.
import glob
import os
import re
import sys

ops_def, test_dir = sys.argv[1], sys.argv[2]
ops = re.findall(r'^OP\(\s*\w+\s*,\s*"([^"]+)"', open(ops_def).read(), re.M)
if len(ops) < 10:
    sys.exit("could not read the ops of %s" % ops_def)

used = set()
for path in glob.glob(os.path.join(test_dir, "roundtrip_*.kir")):
    for line in open(path):
        code = line.split("//")[0].strip()
        if not code:
            continue
        code = code.split("=", 1)[1].strip() if re.match(r"^%[\w.]+(\s*,\s*%[\w.]+)*\s*=", code) else code
        m = re.match(r"^([a-z][a-z._]*)", code)
        if m:
            used.add(m.group(1))

missing = [o for o in ops if o not in used]
if missing:
    print("ops of Ops.def without a round-trip test (test/lit/ir/roundtrip_*.kir):")
    for o in missing:
        print("  " + o)
    sys.exit(1)
print("all %d ops round-trip tested" % len(ops))
