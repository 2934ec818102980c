# lokalmat — the two commands:
#   make run    install what is missing, build (Release, build/), run Horten, print a summary
#   make test   install what is missing, build, run every test through ctest
# and:
#   make build       build only (programs land in build/bin/)
#   make test-asan   the test suite under the address + undefined-behaviour sanitizers
#   make test-tsan   the test suite under the thread sanitizer
#   make bench       Google Benchmark figures of the weekly step and of sweeps
JOBS ?= $(shell nproc)
SCENARIO ?= scenarios/horten.toml

.PHONY: deps build run test test-asan test-tsan bench clean

deps:
	@bash tools/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

run: build
	./build/bin/lokalmat run $(SCENARIO) -o out/horten.h5 --force

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

bench: build
	./build/bin/step_benchmark
	./build/bin/sweep_benchmark

clean:
	rm -rf build build-dev build-asan build-tsan
