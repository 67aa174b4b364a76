#!/usr/bin/env python3
"""Import an .ics into a fresh calcurse data folder and report what was skipped.

usage: calcurse_import.py FILE.ics
Prints a JSON object: {"returncode", "imported_lines", "log": text of calcurse's import
log (empty when nothing was skipped), "stderr", "stdout"}.
Exit 3 when calcurse is missing.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile


def main() -> int:
    if shutil.which("calcurse") is None:
        print("peer missing: calcurse; run `make test` (it installs the calendar peers)", file=sys.stderr)
        return 3
    path = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        data, conf, tmpdir = (os.path.join(tmp, d) for d in ("data", "conf", "tmp"))
        for d in (data, conf, tmpdir):
            os.makedirs(d)
        env = dict(os.environ, HOME=tmp, TMPDIR=tmpdir, TZ="UTC")
        r = subprocess.run(["calcurse", "-D", data, "-C", conf, "-i", path],
                           env=env, capture_output=True, text=True, timeout=60)
        log = ""
        for f in sorted(glob.glob(os.path.join(tmpdir, "calcurse_log*"))):
            with open(f, errors="replace") as h:
                log += h.read()
        apts = 0
        for name in ("apts",):
            p = os.path.join(data, name)
            if os.path.exists(p):
                with open(p) as h:
                    apts += sum(1 for _ in h)
        print(json.dumps({"returncode": r.returncode, "imported_lines": apts, "log": log,
                          "stdout": r.stdout, "stderr": r.stderr}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
