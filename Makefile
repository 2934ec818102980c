# lokalmat — the two commands:
#   make run    install what is missing, build (Release, build/), run Horten, print a summary,
#               and write the policy report out/horten-report.html (status quo vs the exception)
#   make test   install what is missing, build, run every test through ctest
# and:
#   make build       build only (programs land in build/bin/)
#   make test-asan   the test suite under the address + undefined-behaviour sanitizers
#   make test-tsan   the test suite under the thread sanitizer
#   make fuzz        libFuzzer on the scenario, sweep and intervention-log readers, $(FUZZ_SECONDS) s each
#   make bench       every speed and memory figure beside its target (tools/bench.py)
#   make view        the interactive viewer lokalmat-view on $(SCENARIO)
JOBS ?= $(shell nproc)
SCENARIO ?= scenarios/horten.toml
# seconds per fuzz target (three targets: about two minutes in all)
FUZZ_SECONDS ?= 40

.PHONY: deps build run test test-asan test-tsan fuzz bench view clean

deps:
	@bash tools/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

# the run, then the report: Horten's status quo against today's Horten exception, 20 seeds each
run: build
	mkdir -p out
	./build/bin/lokalmat run $(SCENARIO) -o out/horten.h5 --force
	./build/bin/lokalmat compare scenarios/horten/status-quo.toml scenarios/horten/exception.toml \
	    --replicates 20 -o out/horten-report.html --force

test: build
	ctest --preset release -j $(JOBS)

test-asan: deps
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

test-tsan: deps
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)
	ctest --preset tsan -j $(JOBS)

# clang's libFuzzer with address + undefined sanitizers (preset fuzz, build-fuzz/); fails on a finding
fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS)
	bash tools/fuzz.sh $(FUZZ_SECONDS)

# every speed and memory figure beside its target (tools/bench.py; measure on an idle machine)
bench: build
	python3 tools/bench.py --build build

# the interactive viewer on $(SCENARIO) (needs a display; headless: see viz/README.md)
view: build
	./build/bin/lokalmat-view $(SCENARIO)

clean:
	rm -rf build build-dev build-asan build-tsan build-fuzz
