#!/usr/bin/env python3
"""Check the shipped YAML files against programs/schema/*.json, plus the content rules
the shipped programs promise (docs/program-format.md).

    scripts/check-schema.py            # every shipped file
    scripts/check-schema.py FILE...    # just these

Each file names its schema in its first line (`# yaml-language-server: $schema=...`);
the script insists on that line and on the right schema for the kind of file. Problems
print as FILE:LINE:COL: error: message. Exit 0 when clean, 1 when any problem.
Needs the `jsonschema` and `PyYAML` packages. An independent cross-check of the Swift
validator, not a replacement for `rehab validate`.
"""
import json
import re
import sys
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "programs"
SCHEMAS = PROGRAMS / "schema"
REFERENCES = PROGRAMS / "references.yaml"
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\s*$")
EMERGENCY = {"saddle-numbness", "bladder-bowel", "worsening-weakness", "chest-pain", "breathlessness"}
TEAM_TODAY = {"fever", "wound-infection", "calf-swelling", "sudden-leg-pain"}
AMOUNTS = ("sets", "reps", "hold_seconds", "minutes")
DOSE_KEYS = {"reps": ({"reps"}, {"reps", "sets", "hold_seconds"}),
             "hold": ({"hold_seconds"}, {"hold_seconds", "reps", "sets"}),
             "minutes": ({"minutes"}, {"minutes"})}


class Loader(yaml.SafeLoader):
    """YAML without YAML 1.1 timestamps: dates stay strings, as JSON Schema sees them."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Report:
    def __init__(self):
        self.count = 0

    def error(self, file, node, message):
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
        print(f"{file}:{line}:{col}: error: {message}")
        self.count += 1


def node_at(node, path):
    """The YAML node at a JSON path (keys and indexes), or the deepest one found."""
    for part in path:
        if isinstance(node, yaml.MappingNode):
            hit = next(((k, v) for k, v in node.value if k.value == part), None)
            if hit is None:
                return node
            node = hit[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def key_node(node, path):
    """The key node for the last element of path when it is a mapping key, else node_at."""
    parent = node_at(node, path[:-1])
    if path and isinstance(parent, yaml.MappingNode):
        for k, _ in parent.value:
            if k.value == path[-1]:
                return k
    return node_at(node, path)


def kind_of(path):
    """Shipped files by where they live; any other file by the schema its first line names."""
    full = path.resolve()
    if full.is_relative_to(PROGRAMS.resolve()):
        if full.name == "exercises.yaml":
            return "exercises"
        return "patient" if "examples" in full.relative_to(PROGRAMS.resolve()).parts else "program"
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    m = SCHEMA_LINE.match(first)
    stem = Path(m.group(1)).name.split(".")[0] if m else "program"
    return stem if stem in ("exercises", "program", "patient") else "program"


def reference_keys():
    """The keys of programs/references.yaml (each `sources:` entry must be one)."""
    data = yaml.load(REFERENCES.read_text(encoding="utf-8"), Loader=Loader)
    return {r["key"] for r in data["references"]}


KEYS = reference_keys()


def source_ok(source):
    return source in KEYS


class Checker:
    def __init__(self, report):
        self.report = report
        self.schemas = {k: json.loads((SCHEMAS / f"{k}.schema.json").read_text()) for k in ("exercises", "program", "patient")}
        for s in self.schemas.values():
            jsonschema.Draft202012Validator.check_schema(s)
        self.library = None

    def load(self, path):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        node = yaml.compose(text, Loader=Loader)
        data = yaml.load(text, Loader=Loader)
        return first, node, data

    def check(self, path, kind=None):
        kind = kind or kind_of(path)
        try:
            first, node, data = self.load(path)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
            print(f"{path}:{where}: error: YAML: {e}")
            self.report.count += 1
            return None
        m = SCHEMA_LINE.match(first)
        expected = SCHEMAS / f"{kind}.schema.json"
        if not m:
            self.report.error(path, None, "first line must be '# yaml-language-server: $schema=<path to schema>'")
        elif (path.parent / m.group(1)).resolve() != expected.resolve():
            self.report.error(path, None, f"$schema points to {m.group(1)}, expected the {kind} schema {expected.relative_to(ROOT)}")
        validator = jsonschema.Draft202012Validator(self.schemas[kind], format_checker=jsonschema.FormatChecker())
        errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            self.report.error(path, key_node(node, list(e.absolute_path)), f"[schema] {where}: {e.message}")
        if errors:
            return None
        getattr(self, f"check_{kind}")(path, node, data)
        return data

    # -- content rules ------------------------------------------------------------------

    def check_exercises(self, path, node, data):
        seen = {}
        for i, ex in enumerate(data["exercises"]):
            entries = [(ex, ["exercises", i])] + [(v, ["exercises", i, "variants", j]) for j, v in enumerate(ex.get("variants", []))]
            for e, p in entries:
                if e["id"] in seen:
                    self.report.error(path, node_at(node, p + ["id"]), f"duplicate id '{e['id']}'")
                seen[e["id"]] = ex
                for k, s in enumerate(e.get("sources", [])):
                    if not source_ok(s):
                        self.report.error(path, node_at(node, p + ["sources", k]), f"no reference '{s}' in programs/references.yaml")
            if not ex.get("cautions"):
                self.report.error(path, node_at(node, ["exercises", i]), f"shipped exercise '{ex['id']}' has no cautions")
        self.library = {"by_id": seen, "families": {e["id"]: e for e in data["exercises"]}}

    def check_program(self, path, node, data):
        lib = self.library
        if lib is None:
            self.report.error(path, None, "load programs/exercises.yaml first")
            return
        if data["id"] != path.stem:
            self.report.error(path, node_at(node, ["id"]), f"program id '{data['id']}' should match its file name '{path.stem}'")
        for k, s in enumerate(data["sources"]):
            if not source_ok(s):
                self.report.error(path, node_at(node, ["sources", k]), f"no reference '{s}' in programs/references.yaml")
        flags = data.get("red_flags", {})
        for flag in sorted(EMERGENCY | TEAM_TODAY | {"spreading"}):
            if flag not in flags:
                self.report.error(path, node_at(node, ["red_flags"]), f"shipped program gives no advice for '{flag}'")
            elif flag in EMERGENCY and "emergency care now" not in flags[flag]:
                self.report.error(path, node_at(node, ["red_flags", flag]), f"'{flag}' advice must say 'emergency care now'")
            elif flag in TEAM_TODAY and "surgical team today" not in flags[flag]:
                self.report.error(path, node_at(node, ["red_flags", flag]), f"'{flag}' advice must say 'surgical team today'")
        for i, r in enumerate(data.get("restrictions", [])):
            for proc in r.get("procedures", []):
                if proc not in data["procedures"]:
                    self.report.error(path, node_at(node, ["restrictions", i, "procedures"]), f"restriction names '{proc}', which the program does not suit")
        rules = data.get("pain_rules", {})
        if rules.get("green_max", 3) >= rules.get("amber_max", 5):
            self.report.error(path, node_at(node, ["pain_rules"]), "green_max must be below amber_max")
        if rules.get("morning_amber_above", 1) >= rules.get("morning_red_above", 2):
            self.report.error(path, node_at(node, ["pain_rules"]), "morning_amber_above must be below morning_red_above")
        if rules.get("flare_red_days", 2) > rules.get("flare_window", 3):
            self.report.error(path, node_at(node, ["pain_rules"]), "flare_red_days cannot exceed flare_window")

        previous_week, stage_ids, previous_ladders = -1, set(), {}
        for si, st in enumerate(data["stages"]):
            sp = ["stages", si]
            if st["id"] in stage_ids:
                self.report.error(path, node_at(node, sp + ["id"]), f"duplicate stage id '{st['id']}'")
            stage_ids.add(st["id"])
            if si == 0 and st["from_week"] != 0:
                self.report.error(path, node_at(node, sp + ["from_week"]), "the first stage should start at week 0")
            if st["from_week"] <= previous_week:
                self.report.error(path, node_at(node, sp + ["from_week"]), f"from_week {st['from_week']} must be above the previous stage's {previous_week}")
            previous_week = st["from_week"]
            if st["sessions"] != sorted(st["sessions"]):
                self.report.error(path, node_at(node, sp + ["sessions"]), "session times should be in time order")
            ex = st.get("exit", {})
            if ex.get("green_days", 5) > ex.get("window", 7):
                self.report.error(path, node_at(node, sp + ["exit"]), "exit green_days cannot exceed window")
            ladders, seen_ex = {}, set()
            for pi, pr in enumerate(st["prescriptions"]):
                pp = sp + ["prescriptions", pi]
                ladder = self.check_prescription(path, node, pp, pr, len(st["sessions"]))
                if pr["exercise"] in seen_ex:
                    self.report.error(path, node_at(node, pp + ["exercise"]), f"'{pr['exercise']}' is prescribed twice in stage '{st['id']}'")
                seen_ex.add(pr["exercise"])
                if ladder is None:
                    continue
                ladders[pr["exercise"]] = ladder
                for rung in previous_ladders.get(pr["exercise"], []):
                    if rung not in ladder:
                        self.report.error(path, node_at(node, pp + ["dose"]),
                                          f"carried over from the stage before, rung {dict(rung)} of '{pr['exercise']}' is not a rung here")
            previous_ladders = ladders

    def check_prescription(self, path, node, pp, pr, session_count):
        lib = self.library
        fam = lib["families"].get(pr["exercise"])
        if fam is None:
            hint = " (a variant: name its family and pick the variant in a written-out ladder)" if pr["exercise"] in lib["by_id"] else ""
            self.report.error(path, node_at(node, pp + ["exercise"]), f"unknown exercise '{pr['exercise']}'{hint}")
            return None
        for k, s in enumerate(pr["sources"]):
            if not source_ok(s):
                self.report.error(path, node_at(node, pp + ["sources", k]), f"no reference '{s}' in programs/references.yaml")
        for n in pr.get("sessions", []):
            if n > session_count:
                self.report.error(path, node_at(node, pp + ["sessions"]), f"session {n} does not exist; the stage has {session_count}")
        if fam["category"] == "nerve-mobility" and not pr.get("skip_in_flare", False):
            self.report.error(path, node_at(node, pp), f"'{fam['id']}' moves the nerve: set skip_in_flare: true")
        required, allowed = DOSE_KEYS[fam["dose_kind"]]
        variants = {v["id"] for v in fam.get("variants", [])}
        dose = pr["dose"]

        def check_keys(d, where):
            keys = {k for k in d if k in AMOUNTS}
            if where[-1] != "step" and not required <= keys:
                self.report.error(path, node_at(node, where), f"a {fam['dose_kind']} dose needs {', '.join(sorted(required - keys))}")
            for k in sorted(keys - allowed):
                self.report.error(path, key_node(node, where + [k]), f"'{k}' does not apply to a {fam['dose_kind']} exercise")
            v = d.get("variant")
            if v is not None and v not in variants:
                self.report.error(path, key_node(node, where + ["variant"]), f"'{v}' is not a variant of '{fam['id']}'")

        dp = pp + ["dose"]
        if "ladder" in dose:
            rungs = [freeze(r) for r in dose["ladder"]]
            for ri, r in enumerate(dose["ladder"]):
                check_keys(r, dp + ["ladder", ri])
            check_keys(dose["start"], dp + ["start"])
            if len(set(rungs)) != len(rungs):
                self.report.error(path, node_at(node, dp + ["ladder"]), "a rung is written twice")
            if freeze(dose["start"]) not in rungs:
                self.report.error(path, node_at(node, dp + ["start"]), "start must equal one of the rungs")
            return rungs
        for part in ("floor", "start", "step", "cap"):
            if part in dose:
                check_keys(dose[part], dp + [part])
        floor, start, step, cap = dose.get("floor", dose["start"]), dose["start"], dose["step"], dose["cap"]
        if not at_most(floor, start):
            self.report.error(path, node_at(node, dp + ["floor"]), "floor is above start")
        if not at_most(start, cap):
            self.report.error(path, node_at(node, dp + ["cap"]), "start is above cap")
        for k in AMOUNTS:
            if cap.get(k, 0) > start.get(k, 0) and k not in step:
                self.report.error(path, node_at(node, dp + ["step"]), f"the cap raises {k} but the step has no {k}")
            if start.get(k, 0) > floor.get(k, 0) and k not in step:
                self.report.error(path, node_at(node, dp + ["step"]), f"the floor lowers {k} but the step has no {k}")
        return generate(floor, start, step, cap)

    def check_patient(self, path, node, data):
        import zoneinfo
        try:
            zoneinfo.ZoneInfo(data["timezone"])
        except Exception:
            self.report.error(path, node_at(node, ["timezone"]), f"unknown time zone '{data['timezone']}'")
        if data["start_date"] < data["surgery_date"]:
            self.report.error(path, node_at(node, ["start_date"]), "start_date is before surgery_date")
        prog_path = PROGRAMS / f"{data['program']}.yaml"
        if not prog_path.is_file():
            prog_path = (path.parent / data["program"])
        if not prog_path.is_file():
            self.report.error(path, node_at(node, ["program"]), f"no program '{data['program']}'")
            return
        prog = yaml.load(prog_path.read_text(), Loader=Loader)
        if data["procedure"] not in prog.get("procedures", []):
            self.report.error(path, node_at(node, ["procedure"]), f"program '{data['program']}' is not for {data['procedure']}")
        if "start_stage" in data and data["start_stage"] not in [s["id"] for s in prog.get("stages", [])]:
            self.report.error(path, node_at(node, ["start_stage"]), f"program '{data['program']}' has no stage '{data['start_stage']}'")


def freeze(d):
    return tuple(sorted(d.items()))


def at_most(a, b):
    return all(a.get(k, 0) <= b.get(k, 0) for k in AMOUNTS)


def generate(floor, start, step, cap):
    """The rungs of a generated ladder, as docs/program-format.md describes (and as
    RehabKit's DoseLadder.generate builds them)."""
    def moved(d, sign, limit):
        out = {}
        for k in AMOUNTS:
            if k not in d:
                continue
            nxt = d[k] + sign * step.get(k, 0)
            if k in limit:
                nxt = min(nxt, limit[k]) if sign > 0 else max(nxt, limit[k])
            out[k] = nxt
        return out
    up = [start]
    while up[-1] != cap:
        nxt = moved(up[-1], 1, cap)
        if nxt == up[-1]:
            up.append(cap)
            break
        up.append(nxt)
    down, cur = [], start
    while cur != floor:
        nxt = moved(cur, -1, floor)
        if nxt == cur:
            down.append(floor)
            break
        down.append(nxt)
        cur = nxt
    return [freeze(d) for d in list(reversed(down)) + up]


def self_test():
    """Every file under Tests/Schema/broken must fail; print what each one caught."""
    import contextlib
    import io
    failures = 0
    broken = sorted((ROOT / "Tests" / "Schema" / "broken").glob("*.yaml"))
    for f in broken:
        report = Report()
        with contextlib.redirect_stdout(io.StringIO()):
            checker = Checker(report)
            checker.check(PROGRAMS / "exercises.yaml")
            checker.check(f)
        if report.count == 0:
            print(f"{f}: expected at least one problem, found none", file=sys.stderr)
            failures += 1
    print(f"check-schema --self-test: {len(broken)} broken file(s), {failures} passed unexpectedly", file=sys.stderr)
    return 1 if failures else 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    report = Report()
    checker = Checker(report)
    library = PROGRAMS / "exercises.yaml"
    files = [Path(a) for a in argv] if argv else (
        [library] + sorted(p for p in PROGRAMS.glob("*.yaml") if p not in (library, REFERENCES))
        + sorted((PROGRAMS / "examples").glob("*.yaml")))
    if library.resolve() not in [f.resolve() for f in files]:
        checker.check(library)
    for f in files:
        checker.check(f)
    print(f"check-schema: {len(files)} file(s), {report.count} problem(s)", file=sys.stderr)
    return 1 if report.count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
