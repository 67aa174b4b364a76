#!/usr/bin/env python3
"""Check rehab's JSON output against the schemas in schema/ (JSON Schema 2020-12).

    scripts/check-json.py SCHEMA FILE...     # e.g. schema/plan.schema.json plan.json
    scripts/check-json.py SCHEMA -           # the JSON on stdin
    scripts/check-json.py --lenient SCHEMA FILE...
    scripts/check-json.py --self-test

By default the check is strict: every object the schema describes with `properties`
may hold only the keys listed there, so a key the program adds without documenting it
fails. With --lenient the schemas are used as published (unknown keys allowed, as a
consumer should read them). Every schema in schema/ is loaded, so one may refer to
another by its file name. Prints FILE: error: PATH: message per problem; exit 0 when
every file is valid, 1 when any is not, 2 on wrong usage or a missing package.
Needs the `jsonschema` package (scripts/install-deps.sh --test installs it).
"""
import copy
import json
import sys
from pathlib import Path

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:
    print("check-json: the Python package jsonschema is missing; run `make test` "
          "(or scripts/install-deps.sh --test) to install it", file=sys.stderr)
    sys.exit(2)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schema"


def closed(node):
    """A copy of a schema where each object with `properties` forbids other keys."""
    if isinstance(node, dict):
        out = {k: closed(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [closed(v) for v in node]
    return node


def load_schemas(strict):
    """Every schema in schema/, by file path and by $id, in one registry."""
    schemas = {}
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.resolve()] = closed(doc) if strict else doc
    registry = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in schemas.values())
    return schemas, registry


def validator_for(schema_path, strict):
    schemas, registry = load_schemas(strict)
    path = Path(schema_path).resolve()
    if path not in schemas:
        doc = json.loads(path.read_text(encoding="utf-8"))
        schemas[path] = closed(doc) if strict else doc
    schema = schemas[path]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def problems(validator, instance):
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        yield f"{where}: {error.message}"


def check(schema_path, files, strict):
    validator = validator_for(schema_path, strict)
    bad = 0
    for name in files:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
            instance = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            print(f"{name}: error: cannot read JSON: {e}")
            bad += 1
            continue
        found = list(problems(validator, instance))
        for p in found:
            print(f"{name}: error: {p}")
        bad += bool(found)
    return bad


def self_test():
    """The schemas are valid 2020-12 schemas and reject what they must."""
    plan = SCHEMA_DIR / "plan.schema.json"
    strict = validator_for(plan, True)
    lenient = validator_for(plan, False)
    good = {"schema": 1, "patient": "p-1", "program": "x", "as_of": "2026-11-23", "status": "active",
            "halt": None, "stage": "s", "days": 7, "advice": [], "decisions": [],
            "sessions": [{"start": "2026-11-23T08:00:00+01:00", "stage": "s",
                          "exercises": [{"id": "walking", "sets": None, "reps": None,
                                         "hold_seconds": None, "minutes": 10}]}]}
    assert not list(problems(strict, good)), list(problems(strict, good))
    extra = copy.deepcopy(good)
    extra["sessions"][0]["exercises"][0]["colour"] = "red"
    assert list(problems(strict, extra)), "strict mode must refuse an undocumented key"
    assert not list(problems(lenient, extra)), "lenient mode must allow an added key"
    for key, value in [("status", "paused"), ("as_of", "2026-13-01"), ("schema", 2), ("patient", "../x")]:
        broken = dict(good, **{key: value})
        assert list(problems(strict, broken)), f"{key}={value!r} must be refused"
    broken = copy.deepcopy(good)
    broken["sessions"][0]["start"] = "2026-11-23T08:00"
    assert list(problems(strict, broken)), "a start without its UTC offset must be refused"
    del broken["sessions"][0]["start"]
    assert list(problems(strict, broken)), "a missing key must be refused"
    history = validator_for(SCHEMA_DIR / "history.schema.json", True)
    report = {"at": "2026-11-20T08:30:00+01:00", "pain": 11, "when": "after", "exercise": None,
              "flags": [], "note": None}
    doc = {"schema": 1, "patient": "p-1", "reports": [report], "resumes": []}
    assert list(problems(history, doc)), "pain 11 must be refused"
    report["pain"] = 3
    assert not list(problems(history, doc)), list(problems(history, doc))
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))
    print("check-json self-test: ok")
    return 0


def main(argv):
    strict = True
    if argv[:1] == ["--self-test"]:
        return self_test()
    if argv[:1] == ["--lenient"]:
        strict, argv = False, argv[1:]
    if len(argv) < 2:
        print("usage: check-json.py [--lenient] SCHEMA FILE...|-  or  check-json.py --self-test",
              file=sys.stderr)
        return 2
    return 1 if check(argv[0], argv[1:], strict) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
