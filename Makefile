# rehab - the two commands a fresh machine needs:
#   make demo   build, validate the shipped programs, plan and export the example patient
#   make test   install the test peers and run the whole suite
SWIFT ?= swift
BIN := .build/debug/rehab
EXAMPLE := programs/examples/decompression-patient.yaml

.PHONY: all build deps test-deps demo test bench clean embed

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	$(SWIFT) build --product rehab

demo: build
	$(BIN) validate programs/*.yaml programs/examples/*.yaml
	$(BIN) exercises
	$(BIN) preview lumbar-decompression --surgery-date 2026-11-02

test: test-deps
	python3 scripts/check-schema.py
	python3 scripts/check-schema.py --self-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	$(SWIFT) build -c release --product rehab-bench
	.build/release/rehab-bench

# Regenerate Sources/RehabFormat/ShippedPrograms.swift from programs/*.yaml.
embed:
	scripts/embed-programs

clean:
	rm -rf .build
