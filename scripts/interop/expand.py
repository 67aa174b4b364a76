#!/usr/bin/env python3
"""Expand an .ics with independent parsers (icalendar + recurring-ical-events).

usage: expand.py FILE.ics FROM TO
FROM/TO are ISO dates (UTC midnight). Prints one JSON object per occurrence, sorted:
{"uid", "start" (UTC ISO 8601), "categories", "summary", "status", "sequence", "description"}
Exit 3 when a peer package is missing (the Swift test turns that into a failure).
"""
import json
import sys
from datetime import datetime, timezone

try:
    import icalendar
    import recurring_ical_events
except ImportError as e:  # pragma: no cover
    print(f"peer missing: {e}; run `make test` (it installs the calendar peers)", file=sys.stderr)
    sys.exit(3)


def main() -> int:
    path, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    lo = datetime.fromisoformat(start).replace(tzinfo=timezone.utc)
    hi = datetime.fromisoformat(end).replace(tzinfo=timezone.utc)
    rows = []
    for ev in recurring_ical_events.of(cal).between(lo, hi):
        dt = ev["DTSTART"].dt
        if isinstance(dt, datetime):
            if dt.tzinfo is None:
                print("floating time in " + str(ev.get("UID")), file=sys.stderr)
                return 2
            when = dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            when = dt.isoformat()
        cats = ev.get("CATEGORIES")
        cat_list = []
        if cats is not None:
            for c in (cats if isinstance(cats, list) else [cats]):
                cat_list += [str(x) for x in c.cats]
        rows.append({
            "uid": str(ev.get("UID")),
            "start": when,
            "categories": cat_list,
            "summary": str(ev.get("SUMMARY", "")),
            "description": str(ev.get("DESCRIPTION", "")),
            "status": str(ev.get("STATUS", "")),
            "sequence": int(ev.get("SEQUENCE", 0)),
        })
    rows.sort(key=lambda r: (r["start"], r["uid"]))
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
