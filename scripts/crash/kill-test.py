#!/usr/bin/env python3
"""Kill `rehab log` (and `rehab export`, when the binary has it) with SIGKILL at random
moments and check that nothing acknowledged is lost and nothing is left torn.

    scripts/crash/kill-test.py [--rehab PATH] [--kills N] [--seed S]

For `rehab log`: every report whose process exited 0 is in the log (fsync before
success); after every kill the log still reads (`rehab history` exits 0) and holds only
whole reports that were sent. For `rehab export`: after every kill the .ics is the old
file or the new one (compared byte for byte with an unkilled run from the same state),
never half. Prints counts and durations; exits 1 on the first violation.
"""
import argparse, json, os, random, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PATIENT = os.path.join(ROOT, "programs/examples/decompression-patient.yaml")


def fail(msg):
    print("kill-test: FAILED: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def run(rehab, args, cwd):
    return subprocess.run([rehab] + args, cwd=cwd, capture_output=True, text=True)


class Window:
    """The range of kill delays, nudged so that about a quarter of the runs finish even
    when the machine's load (and so a run's length) changes during the test."""

    def __init__(self, low, high):
        self.low, self.high, self.scale = low, high, 1.0

    def draw(self, rng):
        return rng.uniform(self.low, self.high) * self.scale

    def update(self, killed):
        self.scale *= 1.01 if killed else 0.97


def spawn_and_kill(rehab, args, cwd, window, rng):
    """Starts rehab, SIGKILLs it after a delay drawn from `window`; returns its exit code
    (None if killed)."""
    p = subprocess.Popen([rehab] + args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(window.draw(rng))
    try:
        p.send_signal(signal.SIGKILL)
    except ProcessLookupError:
        pass
    code = p.wait()
    window.update(code == -signal.SIGKILL)
    return None if code == -signal.SIGKILL else code


def history(rehab, cwd):
    r = run(rehab, ["history", "p.yaml", "--format", "json"], cwd)
    if r.returncode != 0:
        fail("the log no longer reads after a kill: rehab history exited %d: %s" % (r.returncode, r.stderr.strip()))
    return json.loads(r.stdout)["reports"]


def minute(i):
    """A distinct past local time for report i: 2026-11-10T06:00 plus i minutes."""
    day, rest = divmod(6 * 60 + i, 24 * 60)
    return "2026-11-%02dT%02d:%02d" % (10 + day, rest // 60, rest % 60)


def log_round(rehab, kills, rng, delays):
    work = tempfile.mkdtemp(prefix="rehab-kill-log-")
    shutil.copy(PATIENT, os.path.join(work, "p.yaml"))
    window = Window(*delays)
    acknowledged, sent, killed, finished, i = set(), set(), 0, 0, 0
    start = time.time()
    while killed < kills:
        note = "kill-%d" % i
        sent.add(note)
        code = spawn_and_kill(rehab, ["log", "p.yaml", "--pain", str(i % 11), "--when", "after",
                                      "--at", minute(i), "--note", note], work, window, rng)
        i += 1
        if code is None:
            killed += 1
        else:
            finished += 1
            if code != 0:
                fail("rehab log exited %d without being killed" % code)
            acknowledged.add(note)
        reports = history(rehab, work)
        notes = [r["note"] for r in reports]
        if len(notes) != len(set(notes)):
            fail("a report is in the log twice")
        if not set(notes) <= sent:
            fail("the log holds a report that was never sent: torn or foreign")
        lost = acknowledged - set(notes)
        if lost:
            fail("acknowledged report(s) missing from the log: %s" % sorted(lost)[:5])
    elapsed = time.time() - start
    kept = len(history(rehab, work))
    shutil.rmtree(work)
    print("kill-test: rehab log: %d runs, %d killed, %d finished (acknowledged), %d reports in the log, "
          "%d killed runs whose report still landed; %.1f s" % (i, killed, finished, kept, kept - finished, elapsed))
    return killed


def has_export(rehab):
    r = run(rehab, ["--help"], ROOT)
    return any(line.split()[:1] == ["export"] for line in (r.stdout + r.stderr).splitlines())


def export_round(rehab, kills, rng, delays):
    work = tempfile.mkdtemp(prefix="rehab-kill-export-")
    shadow = tempfile.mkdtemp(prefix="rehab-kill-export-shadow-")
    for d in (work, shadow):
        shutil.copy(PATIENT, os.path.join(d, "p.yaml"))
    ics = os.path.join(work, "p.ics")
    dates = ["2026-11-%02d" % d for d in range(9, 30)]
    window = Window(*delays)
    killed, finished, old_kept, new_written, i = 0, 0, 0, 0, 0
    start = time.time()
    while killed < kills:
        args = ["export", "p.yaml", "--out", "p.ics", "--as-of", dates[i % len(dates)], "--days", "28"]
        i += 1
        # The new file: the same command, unkilled, from the same state in a shadow folder.
        old = open(ics, "rb").read() if os.path.exists(ics) else None
        shadow_ics = os.path.join(shadow, "p.ics")
        if old is None:
            if os.path.exists(shadow_ics):
                os.remove(shadow_ics)
        else:
            open(shadow_ics, "wb").write(old)
        r = run(rehab, args, shadow)
        if r.returncode != 0:
            fail("rehab export failed unkilled: %s" % r.stderr.strip())
        new = open(shadow_ics, "rb").read()
        code = spawn_and_kill(rehab, args, work, window, rng)
        if code is None:
            killed += 1
        else:
            finished += 1
            if code != 0:
                fail("rehab export exited %d without being killed" % code)
        now = open(ics, "rb").read() if os.path.exists(ics) else None
        if code == 0 and now != new:
            fail("an acknowledged export is not the new file")
        if now != old and now != new:
            fail("after a kill the calendar is neither the old file nor the new one (%s bytes)" %
                 (len(now) if now is not None else "no file"))
        if now == old and old != new:
            old_kept += 1
        elif now == new:
            new_written += 1
    elapsed = time.time() - start
    leftovers = [f for f in os.listdir(work) if ".tmp-" in f]
    shutil.rmtree(work)
    shutil.rmtree(shadow)
    print("kill-test: rehab export: %d runs, %d killed, %d finished; after a kill the file was the old one %d "
          "times, the new one %d times; %d temporary file(s) left behind by killed runs; %.1f s"
          % (i, killed, finished, old_kept, new_written, len(leftovers), elapsed))
    return killed


def main():
    sys.stdout.reconfigure(line_buffering=True)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rehab", default=os.path.join(ROOT, ".build/debug/rehab"))
    ap.add_argument("--kills", type=int, default=200, help="SIGKILLs per command (default 200)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--only", choices=["log", "export"], default=None, help="run one command's round only")
    ap.add_argument("--max-delay", type=float, default=None,
                    help="longest wait before the kill, seconds (default: 1.3 x one unkilled run)")
    a = ap.parse_args()
    a.rehab = os.path.abspath(a.rehab)
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print("kill-test: seed %d (rerun with --seed %d)" % (seed, seed), flush=True)
    # Time a few unkilled runs: kills land between 30% and 130% of one, around the write.
    probe = tempfile.mkdtemp(prefix="rehab-kill-probe-")
    shutil.copy(PATIENT, os.path.join(probe, "p.yaml"))
    times = []
    for k in range(3):
        t = time.time()
        r = run(a.rehab, ["log", "p.yaml", "--pain", "1", "--when", "after", "--at", minute(k)], probe)
        times.append(time.time() - t)
        if r.returncode != 0:
            fail("%s does not run; build it first (swift build --product rehab): %s" % (a.rehab, r.stderr.strip()))
    shutil.rmtree(probe)
    one = sorted(times)[1]
    delay = (0.3 * one, 1.3 * one) if a.max_delay is None else (0, a.max_delay)
    print("kill-test: one unkilled rehab log takes %.0f ms; kills after %.0f-%.0f ms" % (one * 1000, delay[0] * 1000, delay[1] * 1000), flush=True)
    total = log_round(a.rehab, a.kills, rng, delay) if a.only != "export" else 0
    if a.only == "log":
        pass
    elif has_export(a.rehab):
        total += export_round(a.rehab, a.kills, rng, (delay[0], 2.5 * delay[1]))
    else:
        print("kill-test: rehab export: not in this binary yet, skipped")
    print("kill-test: passed, %d SIGKILLs in total" % total, flush=True)


if __name__ == "__main__":
    main()
