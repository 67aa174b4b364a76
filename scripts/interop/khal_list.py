#!/usr/bin/env python3
"""Import .ics files into a fresh khal calendar, in order, then list a range.

usage: khal_list.py FROM TO FILE.ics [FILE.ics ...]
FROM/TO as khal reads them (YYYY-MM-DD). Prints khal's list output, one event a line
(`START | TITLE | STATUS | DESCRIPTION`, description lines joined by ' / ') to stdout; import errors go to stderr and exit 1.
Exit 3 when khal is missing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main() -> int:
    if shutil.which("khal") is None:
        print("peer missing: khal; run `make test` (it installs the calendar peers)", file=sys.stderr)
        return 3
    start, end, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tempfile.TemporaryDirectory() as tmp:
        cal_dir = os.path.join(tmp, "cal")
        os.makedirs(cal_dir)
        conf = os.path.join(tmp, "khal.conf")
        with open(conf, "w") as f:
            f.write(f"""[calendars]
[[rehab]]
path = {cal_dir}
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC
[sqlite]
path = {os.path.join(tmp, "khal.db")}
""")
        env = dict(os.environ, HOME=tmp, XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp, TZ="UTC")
        for path in files:
            r = subprocess.run(["khal", "-c", conf, "import", "--batch", "-a", "rehab", path],
                               env=env, capture_output=True, text=True)
            if r.returncode != 0 or "error" in r.stderr.lower() or "warning" in r.stderr.lower():
                sys.stderr.write(f"khal import {os.path.basename(path)} failed ({r.returncode}):\n{r.stderr}")
                return 1
        r = subprocess.run(["khal", "-c", conf, "list", "--format",
                            "{start} | {title} | {status} | {description}", "--day-format", "", start, end],
                           env=env, capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(f"khal list failed ({r.returncode}):\n{r.stderr}")
            return 1
        # One event a line: khal prints descriptions over several lines.
        events = []
        for line in r.stdout.splitlines():
            if re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d \|", line) or re.match(r"^\d{4}-\d\d-\d\d \|", line) or not events:
                events.append(line)
            else:
                events[-1] += " / " + line
        sys.stdout.write("".join(e + "\n" for e in events))
    return 0


if __name__ == "__main__":
    sys.exit(main())
