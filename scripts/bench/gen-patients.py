#!/usr/bin/env python3
"""Write N synthetic patients, each with a pain log, for `make bench`.

    scripts/bench/gen-patients.py DIR N [--as-of 2027-01-04] [--seed 1] [--weeks W]

Patients spread over the three shipped programs, six time zones and 0-16 weeks since
surgery; each logs 1-3 `after` reports and a next-morning score on most days (mostly
green, some amber, the odd red), and about 1 in 100 has reported a fever (halted).
`--weeks W` gives every patient W weeks since the start instead (the caseload bench uses
12); the rest of the mix is unchanged. Deterministic for a given seed. Files: DIR/p-NNNNNN.yaml and DIR/p-NNNNNN.painlog in
the format of docs/pain-log.md.
"""
import argparse
import datetime as dt
import json
import random
from pathlib import Path

ZONES = ["Europe/Berlin", "America/New_York", "Europe/London", "Australia/Sydney",
         "America/Los_Angeles", "Asia/Tokyo"]
PROGRAMS = [("lumbar-decompression", ["discectomy", "laminectomy"], 5),
            ("lumbar-fusion", ["fusion"], 3),
            ("late-leg-pain", ["discectomy", "laminectomy", "fusion"], 2)]
TIMES = [None, ["08:00", "13:00", "18:30"], ["07:30", "12:30"], ["09:00", "14:00", "19:00"]]


def report(at, when, pain, flags=(), exercise=None):
    # Keys in the order `rehab log` writes them (docs/pain-log.md).
    return json.dumps({"at": at.strftime("%Y-%m-%dT%H:%M"), "when": when, "pain": pain,
                       "exercise": exercise, "flags": list(flags), "note": None},
                      separators=(",", ":"))


def score(rng):
    roll = rng.random()
    return rng.randint(0, 3) if roll < 0.86 else rng.randint(4, 5) if roll < 0.97 else rng.randint(6, 7)


def patient(i, as_of, rng, fixed_weeks=None):
    pid = f"p-{i:06d}"
    program, procedures, _ = rng.choices(PROGRAMS, weights=[w for *_, w in PROGRAMS])[0]
    procedure = rng.choice(procedures)
    weeks = rng.randint(0, 16)
    if fixed_weeks is not None:
        weeks = fixed_weeks  # drawn all the same, so the rest of the mix is as without it
    start = as_of - dt.timedelta(days=weeks * 7 + rng.randint(0, 6))
    surgery = start - dt.timedelta(days=rng.randint(5, 10))
    if program == "late-leg-pain":
        surgery = start - dt.timedelta(days=rng.randint(100, 900))
    lines = [f"version: 1", f"id: {pid}", f"program: {program}", f"procedure: {procedure}",
             f"surgery_date: {surgery}", f"start_date: {start}", f"timezone: {rng.choice(ZONES)}",
             f"baseline_pain: {rng.randint(0, 3)}", f"reminder_minutes: {rng.choice([10, 15, 30])}"]
    times = rng.choice(TIMES)
    if program == "late-leg-pain" and times and len(times) > 2:
        times = times[:2]  # that program has at most two sessions a day
    if times:
        lines.append("session_times: [" + ", ".join(f'"{t}"' for t in times) + "]")
    log = [json.dumps({"version": 1, "patient": pid}, separators=(",", ":"))]
    day = start
    while day < as_of:
        if rng.random() < 0.85:
            base = dt.datetime.combine(day, dt.time(9, 0))
            for k in range(rng.randint(1, 3)):
                log.append(report(base + dt.timedelta(hours=4 * k, minutes=rng.randint(0, 40)), "after", score(rng)))
            if day + dt.timedelta(days=1) < as_of:
                nm = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(7, rng.randint(0, 59)))
                log.append(report(nm, "next-morning", min(10, rng.randint(0, 3))))
        day += dt.timedelta(days=1)
    if rng.random() < 0.01 and start < as_of:
        at = dt.datetime.combine(as_of - dt.timedelta(days=1), dt.time(20, 0))
        log.append(report(at, "after", None, flags=["fever"]))
    return pid, "\n".join(lines) + "\n", "\n".join(log) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--as-of", default="2027-01-04")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--weeks", type=int, default=None)
    args = ap.parse_args()
    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    as_of = dt.date.fromisoformat(args.as_of)
    rng = random.Random(args.seed)
    reports = 0
    for i in range(1, args.n + 1):
        pid, yaml, log = patient(i, as_of, rng, args.weeks)
        (out / f"{pid}.yaml").write_text(yaml, encoding="utf-8")
        (out / f"{pid}.painlog").write_text(log, encoding="utf-8")
        reports += log.count("\n") - 1
    print(f"gen-patients: {args.n} patients, {reports} reports in {out}")


if __name__ == "__main__":
    main()
