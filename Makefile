# The two commands of the README, and a few helpers. CMake does the real work:
#   build/run   optimised build for `make run`
#   build/test  AddressSanitizer + UndefinedBehaviorSanitizer build for `make test`
#   build/fuzz  clang + libFuzzer build for `make fuzz`
#   build/o3    the whole suite built at -O3 (warnings as errors, not run): what only the
#               optimiser sees (maybe-uninitialized ...) is caught by `make test` too
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 10

.PHONY: all deps build run test unit fuzz bench stress format clean node_modules

all: build

deps:
	@scripts/install-deps

build:
	@scripts/install-deps --run
	@cmake -S . -B build/run -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDMS_TESTS=OFF -DDMS_WERROR=OFF >/dev/null
	@cmake --build build/run -j $(JOBS)

run: build
	build/run/dms --db sqlite:var/dms.db serve --demo

test: deps
	@cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Debug -DDMS_SANITIZE=ON -DDMS_WERROR=ON >/dev/null
	@cmake --build build/test -j $(JOBS)
	@cmake -S . -B build/o3 -DCMAKE_BUILD_TYPE=Release -DDMS_WERROR=ON >/dev/null
	@cmake --build build/o3 -j $(JOBS) >/dev/null || cmake --build build/o3 -j 1
	@$(MAKE) --no-print-directory node_modules
	cd build/test && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

unit: deps
	@cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Debug -DDMS_SANITIZE=ON -DDMS_WERROR=ON >/dev/null
	@cmake --build build/test -j $(JOBS)
	cd build/test && ctest --output-on-failure -L unit

fuzz: deps
	@CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DDMS_TESTS=OFF -DDMS_FUZZ=ON \
	  -DDMS_WERROR=ON >/dev/null
	@cmake --build build/fuzz -j $(JOBS)
	@scripts/fuzz-run build/fuzz $(FUZZ_SECONDS)

bench: deps
	@cmake -S . -B build/run -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDMS_TESTS=ON -DDMS_WERROR=ON >/dev/null
	@cmake --build build/run -j $(JOBS)
	@$(MAKE) --no-print-directory node_modules
	@scripts/bench-run build/run

# Issue 11's probes in their long form (100 rounds each, both backends): lost updates, kill -9,
# duplicate and unwanted messages; about a quarter of an hour.
stress: deps
	@cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Debug -DDMS_SANITIZE=ON -DDMS_WERROR=ON >/dev/null
	@cmake --build build/test -j $(JOBS)
	@mkdir -p build/test/tmp
	@scripts/stress-run build/test

# playwright-core for the console's tests and benchmark, from the lock file; never a browser.
node_modules: package-lock.json
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; fi

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
