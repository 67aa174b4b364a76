# rehab - the two commands a fresh machine needs:
#   make demo   build, validate the shipped programs, plan and export the example patient
#   make test   install the test peers and run the whole suite
#   make exports  regenerate the committed example calendars in exports/ (a test checks them)
SWIFT ?= swift
BIN := .build/debug/rehab
EXAMPLE := programs/examples/decompression-patient.yaml
# The fixed date of the demo and of the committed example exports, so they are stable.
EXAMPLE_AS_OF := 2026-11-23

.PHONY: all build deps test-deps demo exports test bench clean embed fuzz fuzz-ci crash-test

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	$(SWIFT) build --product rehab
	$(SWIFT) build --product rehab-publish

demo: build
	$(BIN) validate --strict programs/*.yaml programs/examples/*.yaml
	$(BIN) exercises
	$(BIN) preview lumbar-decompression --surgery-date 2026-11-02
	$(BIN) plan $(EXAMPLE) --as-of $(EXAMPLE_AS_OF)
	@mkdir -p exports
	$(BIN) export $(EXAMPLE) --out exports/p-0001.ics --as-of $(EXAMPLE_AS_OF)
	$(BIN) handout $(EXAMPLE) --out exports/p-0001.html --as-of $(EXAMPLE_AS_OF)

# Regenerate exports/<id>.ics for every example patient from scratch (no earlier file to
# reconcile with), exactly as Tests/RehabCLITests/ExportExamplesTests.swift re-creates them.
exports: build
	@mkdir -p exports
	@for f in programs/examples/*.yaml; do \
	  id=$$(sed -n 's/^id: *//p' "$$f"); \
	  rm -f "exports/$$id.ics"; \
	  $(BIN) export "$$f" --out "exports/$$id.ics" --as-of $(EXAMPLE_AS_OF) || exit 1; \
	done

test: test-deps
	python3 scripts/check-schema.py
	python3 scripts/check-schema.py --self-test
	$(SWIFT) build --build-tests
	$(BIN) validate --strict programs/*.yaml programs/examples/*.yaml
	scripts/run-tests.sh

# make bench [BENCH_PATIENTS=10000]: in-process figures, then rehab batch over synthetic
# patients against a Python baseline, peak memory, one plan/export process (docs/BENCHMARKS.md).
BENCH_PATIENTS ?= 10000
bench: test-deps
	@scripts/install-deps.sh --bench
	$(SWIFT) build -c release --product rehab
	$(SWIFT) build -c release --product rehab-bench
	python3 scripts/bench/bench.py --patients $(BENCH_PATIENTS)

# Regenerate Sources/RehabFormat/ShippedPrograms.swift from programs/*.yaml and
# Sources/RehabPages/EmbeddedTemplates.swift from Sources/RehabPages/Templates/*.mustache.
embed:
	scripts/embed-programs
	scripts/embed-templates

clean:
	rm -rf .build

# Fuzz the program, patient, pain-log and calendar re-import readers with libFuzzer
# (FUZZ_SECONDS each, default 60; a separate package in Fuzz/, see docs/RELIABILITY.md).
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

# A short round of each fuzz target (15 s each), for CI.
fuzz-ci: deps
	FUZZ_SECONDS=15 scripts/fuzz.sh

# SIGKILL `rehab log` (and `rehab export`) at random moments, 200 times each, and check
# that nothing acknowledged is lost and no file is left torn. KILLS=N to change the count.
KILLS ?= 200
crash-test: build
	scripts/crash/fsync-order.sh $(BIN)
	python3 scripts/crash/kill-test.py --rehab $(BIN) --kills $(KILLS)

# Figures for `rehab serve`: the clinic caseload's first and warm render and `rehab alerts`
# over 1,000 patients; then load with wrk on loopback (304s, full feeds, check-in POSTs),
# skipped without wrk (apt-get install wrk).
.PHONY: bench-serve
bench-serve: deps
	$(SWIFT) build -c release --product rehab
	$(SWIFT) build -c release --product caseload-bench
	scripts/bench-serve.sh .build/release/rehab .build/release/caseload-bench
