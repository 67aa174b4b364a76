#!/usr/bin/env python3
"""The Python baseline for `make bench`: read each plan JSON that `rehab batch` wrote and
write the same session events as iCalendar with the `icalendar` package.

    scripts/bench/baseline.py PLANS_DIR OUT_DIR [--jobs N] [--zones DIR]

Like rehab, identical sessions at one time of day on consecutive days become one
recurring VEVENT (RRULE:FREQ=DAILY;COUNT=n): DTSTART in the patient's zone with its
VTIMEZONE (built once per zone and process), a 30-minute DURATION, SUMMARY, a DESCRIPTION
listing every exercise and dose, a stable UID, DTSTAMP, CATEGORIES:REHAB-SESSION and a
DISPLAY alarm; written to OUT_DIR/<id>.ics. With --per-session, one VEVENT per session.
It plans nothing: the plans come ready-made from rehab, so it does less work than
`rehab batch` (which plans, and writes JSON and iCalendar). Uses --jobs processes
(default: the core count), the same cores rehab gets.
"""
import argparse
import datetime as dt
import json
import os
import sys
from multiprocessing import Pool
from pathlib import Path

try:
    import icalendar
except ImportError:
    print("baseline: the Python package icalendar is missing; run scripts/install-deps.sh --test", file=sys.stderr)
    sys.exit(2)

ZONE_OF = {}


def dose_text(e):
    parts = []
    if e.get("sets"):
        parts.append(f"{e['sets']} sets")
    if e.get("reps"):
        parts.append(f"{e['reps']} reps")
    if e.get("hold_seconds"):
        parts.append(f"hold {e['hold_seconds']} s")
    if e.get("minutes"):
        parts.append(f"{e['minutes']} min")
    return ", ".join(parts)


def runs(sessions, zone, per_session):
    """(first start, count, session) for each run of identical sessions on consecutive days."""
    out = []
    open_runs = {}
    for s in sessions:
        start = dt.datetime.fromisoformat(s["start"]).astimezone(zone)
        key = (start.time(), s["stage"], json.dumps(s["exercises"], sort_keys=True))
        run = open_runs.get(key)
        if run and not per_session and (start.date() - run[3]).days == 1:
            run[1] += 1
            run[3] = start.date()
        else:
            run = [start, 1, s, start.date()]
            open_runs[key] = run
            out.append(run)
    return out


TIMEZONES = {}


def vtimezone(zone):
    if zone.key not in TIMEZONES:
        TIMEZONES[zone.key] = icalendar.Timezone.from_tzinfo(zone)
    return TIMEZONES[zone.key]


def calendar(plan, zone, per_session=False):
    cal = icalendar.Calendar()
    cal.add("prodid", "-//rehab bench baseline//EN")
    cal.add("version", "2.0")
    cal.add_component(vtimezone(zone))
    stamp = dt.datetime.fromisoformat(plan["as_of"] + "T00:00:00").replace(tzinfo=dt.timezone.utc)
    for start, count, s, _ in runs(plan["sessions"], zone, per_session):
        ev = icalendar.Event()
        ev.add("uid", f"{plan['patient']}-{start.isoformat()}@rehab-baseline")
        if count > 1:
            ev.add("rrule", {"freq": "daily", "count": count})
        ev.add("dtstamp", stamp)
        ev.add("dtstart", start)
        ev.add("duration", dt.timedelta(minutes=30))
        ev.add("summary", f"Rehab session ({s['stage']})")
        ev.add("categories", ["REHAB-SESSION"])
        lines = [f"- {e.get('name', e['id'])}: {dose_text(e)}" for e in s["exercises"]]
        ev.add("description", "\n".join(lines) + "\nRate your pain 0-10 after the session.")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Rehab session")
        alarm.add("trigger", dt.timedelta(minutes=-15))
        ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()


def work(args):
    path, out_dir, zone_name, per_session = args
    from zoneinfo import ZoneInfo
    plan = json.loads(Path(path).read_text(encoding="utf-8"))
    data = calendar(plan, ZoneInfo(zone_name), per_session)
    (Path(out_dir) / f"{plan['patient']}.ics").write_bytes(data)
    return len(plan["sessions"]), data.count(b"BEGIN:VEVENT")


def zone_of(patients_dir, pid):
    for line in (Path(patients_dir) / f"{pid}.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("timezone:"):
            return line.split(":", 1)[1].strip()
    return "UTC"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plans")
    ap.add_argument("out")
    ap.add_argument("--patients", required=True, help="the patient files, for each patient's time zone")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--per-session", action="store_true", help="one VEVENT per session, no recurrence")
    args = ap.parse_args()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    plans = sorted(Path(args.plans).glob("*.json"))
    tasks = [(str(p), args.out, zone_of(args.patients, p.stem), args.per_session) for p in plans]
    with Pool(args.jobs) as pool:
        counts = list(pool.imap_unordered(work, tasks, chunksize=64))
    sessions, events = sum(c[0] for c in counts), sum(c[1] for c in counts)
    print(f"baseline: {len(plans)} calendars, {sessions} sessions as {events} VEVENTs, {args.jobs} processes")


if __name__ == "__main__":
    main()
