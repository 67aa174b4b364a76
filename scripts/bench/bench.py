#!/usr/bin/env python3
"""`make bench`: time rehab end to end against its targets (issue 5) on this machine.

    scripts/bench/bench.py [--patients N] [--runs R] [--keep] [--skip-inprocess]

Expects release builds of `rehab` and `rehab-bench` in .build/release (make bench
builds them). Steps:
  1. rehab-bench: the in-process planner, export and pain-log figures.
  2. N synthetic patients with pain logs (scripts/bench/gen-patients.py) in a temp folder.
  3. `rehab batch --days 84 --format both` under /usr/bin/time -v: patients per second,
     peak memory (maximum resident set size).
  4. The Python baseline (scripts/bench/baseline.py) writing the same session events
     from rehab's plan JSON with the icalendar package, also under /usr/bin/time -v.
  5. The wall time of one `rehab plan` and one `rehab export` process (median of R runs).
Prints every figure with its target and PASS or MISS; exit 0 when every target is met.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REHAB = ROOT / ".build" / "release" / "rehab"
BENCH = ROOT / ".build" / "release" / "rehab-bench"
HERE = Path(__file__).resolve().parent
AS_OF = "2027-01-04"
DAYS = "84"


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        mem_gb = int(mem.split()[1]) / 1024 / 1024
    except (OSError, StopIteration, ValueError):
        mem_gb = 0
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores (nproc), {model}, {mem_gb:.1f} GiB memory, {platform.system()} "
            f"{platform.release()}; load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def timed(cmd, label, log):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS MiB, exit status)."""
    stats = log.with_suffix(".time")
    # Start from a quiet disk: an earlier run's written-back outputs (gigabytes of plan
    # JSON) would otherwise slow whichever command comes next.
    os.sync()
    with open(log, "wb") as out:
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", str(stats)] + cmd, stdout=out, stderr=subprocess.STDOUT)
    text = stats.read_text()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    system = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if not (wall and rss):
        sys.exit(f"bench: cannot read /usr/bin/time output for {label}: {stats}")
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    cpu = float(user.group(1)) + float(system.group(1)) if user and system else 0.0
    return seconds, int(rss.group(1)) / 1024, proc.returncode, cpu


def median_wall(cmd, runs, before=None):
    times = []
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            sys.exit(f"bench: {' '.join(map(str, cmd))} failed ({proc.returncode}): {proc.stderr.decode()[:500]}")
    return statistics.median(times) * 1000, min(times) * 1000


def big_patient(tmp):
    """A patient with a year of history and a 100,000-report pain log (issue 6)."""
    import datetime as dt
    folder = tmp / "big"
    folder.mkdir()
    (folder / "p-big.yaml").write_text(
        "version: 1\nid: p-big\nprogram: lumbar-decompression\nprocedure: discectomy\n"
        "surgery_date: 2025-12-29\nstart_date: 2026-01-05\ntimezone: Europe/Berlin\nbaseline_pain: 2\n")
    start = dt.datetime(2026, 1, 5, 8, 0)
    lines = [json.dumps({"version": 1, "patient": "p-big"}, separators=(",", ":"))]
    for i in range(100_000):
        at = start + dt.timedelta(minutes=5 * i)  # about 288 a day, for the year up to as_of
        when = "next-morning" if at.hour < 8 else "after"
        lines.append(json.dumps({"at": at.strftime("%Y-%m-%dT%H:%M"), "when": when, "pain": (i * 7) % 5,
                                 "exercise": None, "flags": [], "note": None}, separators=(",", ":")))
    (folder / "p-big.painlog").write_text("\n".join(lines) + "\n")
    return folder / "p-big.yaml"


def with_paths(patients, dest, programs):
    """A copy of the patients folder whose files name their program by a path to a copy of
    the shipped program file (outside the folder, unchanged for an hour, as a clinic's own
    programs are when the weekly batch runs); pain logs are hard links."""
    programs.mkdir()
    hour_ago = time.time() - 3600
    for source in (ROOT / "programs").glob("*.yaml"):
        if source.name == "exercises.yaml":
            continue
        copy = programs / source.name
        shutil.copyfile(source, copy)
        os.utime(copy, (hour_ago, hour_ago))
    for entry in patients.rglob("*"):
        target = dest / entry.relative_to(patients)
        if entry.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if entry.suffix == ".yaml":
            depth = len(entry.relative_to(patients).parts)
            up = "../" * depth
            text = re.sub(r"^program: (\S+)$", lambda m: f"program: {up}programs/{m.group(1)}.yaml",
                          entry.read_text(), flags=re.M)
            target.write_text(text)
        else:
            os.link(entry, target)


def verdict(ok):
    return "PASS" if ok else "MISS"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=int(os.environ.get("BENCH_PATIENTS", "10000")))
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--keep", action="store_true", help="keep the temp folder")
    ap.add_argument("--skip-inprocess", action="store_true")
    ap.add_argument("--ics-only", action="store_true", help="also time rehab batch --format ics")
    args = ap.parse_args()
    for binary in (REHAB, BENCH):
        if not binary.exists():
            sys.exit(f"bench: {binary} is missing; run `make bench` (it builds the release binaries)")
    if not Path("/usr/bin/time").exists():
        sys.exit("bench: /usr/bin/time is missing; run scripts/install-deps.sh --bench")
    print(f"machine: {machine()}")
    missed = 0
    if not args.skip_inprocess:
        print("\n== in-process (rehab-bench)", flush=True)
        missed += subprocess.run([str(BENCH)]).returncode != 0

    tmp = Path(tempfile.mkdtemp(prefix="rehab-bench-"))
    try:
        patients, out, base = tmp / "patients", tmp / "out", tmp / "baseline"
        print(f"\n== {args.patients} synthetic patients in {tmp}", flush=True)
        subprocess.run([sys.executable, str(HERE / "gen-patients.py"), str(patients), str(args.patients),
                        "--as-of", AS_OF], check=True)
        n = args.patients
        cores = os.cpu_count() or 1

        print(f"\n== rehab batch --as-of {AS_OF} --days {DAYS} --format both", flush=True)
        batch = [str(REHAB), "batch", str(patients), "--out", str(out), "--as-of", AS_OF, "--days", DAYS,
                 "--format", "both", "--summary", str(tmp / "summary.json")]
        wall, rss, status, cpu = timed(batch, "rehab batch", tmp / "batch.log")
        ics = len(list(out.glob("*.ics")))
        plans = len(list(out.glob("*.json")))
        tail = (tmp / "batch.log").read_text(errors="replace").strip().splitlines()[-3:]
        print(f"exit {status}; {ics} .ics and {plans} .json written; stderr ends: {' | '.join(tail)}")
        try:
            counts = json.loads((tmp / "summary.json").read_text())["counts"]
            print("summary counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        except (OSError, ValueError, KeyError) as e:
            print(f"no batch summary: {e}")
        rate = n / wall
        print(f"{verdict(rate >= 1000)} rehab batch: {wall:.2f} s wall ({cpu:.2f} s CPU) for {n} patients = "
              f"{rate:,.0f} patient calendars/s on {cores} cores; target >= 1,000/s")
        print(f"{verdict(rss < 200)} rehab batch peak memory: {rss:.1f} MiB (maximum resident set size); target < 200 MB")
        missed += (rate < 1000) + (rss >= 200) + (status != 0)

        print(f"\n== rehab batch, the same patients naming their program by file path", flush=True)
        paths, pout = tmp / "patients-paths", tmp / "out-paths"
        with_paths(patients, paths, tmp / "programs")
        pbatch = [str(REHAB), "batch", str(paths), "--out", str(pout), "--as-of", AS_OF, "--days", DAYS,
                  "--format", "both"]
        # Alternate the two (ids, paths, ids, paths) and compare the faster of each, so that
        # neither always runs second on a disk still busy with the other's output.
        pwall, prss, pstatus, pcpu = timed(pbatch, "rehab batch (program paths)", tmp / "batch-paths.log")
        shutil.rmtree(out, ignore_errors=True)
        again, _, _, _ = timed(batch, "rehab batch (again)", tmp / "batch-again.log")
        shutil.rmtree(pout, ignore_errors=True)
        pagain, _, pstatus2, _ = timed(pbatch, "rehab batch (program paths, again)", tmp / "batch-paths-again.log")
        pstatus = pstatus or pstatus2
        print(f"     shipped ids: {wall:.2f} s then {again:.2f} s; program paths: {pwall:.2f} s then {pagain:.2f} s")
        pwall = min(pwall, pagain)
        prate = n / pwall
        rate = n / min(wall, again)
        share = prate / rate
        print(f"     {pwall:.2f} s wall ({pcpu:.2f} s CPU) = {prate:,.0f} patient calendars/s, peak {prss:.1f} MiB, "
              f"exit {pstatus}; {len(list(pout.glob('*.ics')))} .ics written")
        print(f"{verdict(share >= 0.9)} program file paths: {prate:,.0f}/s = {share:.0%} of {rate:,.0f}/s with shipped ids; "
              f"target >= 90%")
        missed += (share < 0.9) + (pstatus != 0)

        if args.ics_only:
            print(f"\n== rehab batch --format ics (no plan JSON; informational)", flush=True)
            ics_batch = [str(REHAB), "batch", str(patients), "--out", str(tmp / "out-ics"), "--as-of", AS_OF,
                         "--days", DAYS, "--format", "ics"]
            iwall, irss, istatus, icpu = timed(ics_batch, "rehab batch ics", tmp / "batch-ics.log")
            print(f"     rehab batch --format ics: {iwall:.2f} s wall ({icpu:.2f} s CPU) = {n / iwall:,.0f} patient "
                  f"calendars/s, peak {irss:.1f} MiB, exit {istatus}")

        print("\n== Python baseline (icalendar) from rehab's plan JSON", flush=True)
        bwall, brss, bstatus, bcpu = timed([sys.executable, str(HERE / "baseline.py"), str(out), str(base),
                                            "--patients", str(patients)], "baseline", tmp / "baseline.log")
        print((tmp / "baseline.log").read_text(errors="replace").strip())
        brate = n / bwall
        ratio = bwall / wall
        print(f"baseline: {bwall:.2f} s wall ({bcpu:.2f} s CPU) = {brate:,.0f} calendars/s, peak {brss:.1f} MiB (per process)")
        print(f"{verdict(ratio >= 10)} rehab batch is {ratio:.1f}x the Python baseline; target >= 10x")
        missed += (ratio < 10) + (bstatus != 0)

        print(f"\n== one process each (median of {args.runs} runs)", flush=True)
        one = patients / "p-000001.yaml"
        plan_ms, plan_min = median_wall([str(REHAB), "plan", str(one), "--as-of", AS_OF, "--format", "json"], args.runs)
        print(f"{verdict(plan_ms < 50)} rehab plan: {plan_ms:.1f} ms wall (min {plan_min:.1f}); target < 50 ms")
        ics_path = tmp / "one.ics"
        export_ms, export_min = median_wall([str(REHAB), "export", str(one), "--out", str(ics_path), "--as-of", AS_OF],
                                            args.runs, before=lambda: ics_path.unlink(missing_ok=True))
        print(f"     rehab export (28 days, fresh file): {export_ms:.1f} ms wall (min {export_min:.1f}); no target")
        missed += plan_ms >= 50
        big = big_patient(tmp)
        big_ms, big_min = median_wall([str(REHAB), "plan", str(big), "--as-of", AS_OF, "--format", "json"],
                                      max(3, args.runs // 3))
        print(f"{verdict(big_ms < 1000)} rehab plan with a 100,000-report log: {big_ms:.0f} ms wall "
              f"(min {big_min:.0f}); target < 1 s")
        missed += big_ms >= 1000
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{'all targets met' if missed == 0 else f'{missed} target(s) missed or step(s) failed'}")
    return 0 if missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
