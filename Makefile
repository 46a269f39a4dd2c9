# gqld — the commands a newcomer uses. The build itself is CMake + Ninja;
# every target first runs scripts/setup, which installs what is missing.
#
#   make run      build and serve the chat example with GraphiQL on http://127.0.0.1:8080/
#   make test     build, run every test (unit, differential, CLI, install,
#                 fuzz-corpus replay), then again under ASan+UBSan, then
#                 short fuzz runs
#   make bench    benchmarks side by side with the peers (bench/)
#   make fuzz     longer fuzz runs (FUZZ_SECONDS each, default 300)
#   make asan     the whole suite under AddressSanitizer + UBSan
#   make format   clang-format every C file
#   make install  PREFIX=/usr/local by default

PREFIX ?= /usr/local
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 300
CI_FUZZ_SECONDS ?= 20
CMAKE_FLAGS ?=

.PHONY: all setup build run test unit-test asan build-fuzz fuzz fuzz-short bench format install install-test clean

all: build

setup:
	@scripts/setup

build: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@ninja -C $(BUILD) -j $(JOBS)

LISTEN ?= 127.0.0.1:8080

CHAT_DB ?= chat.db

run: build
	@echo "chat example: GraphiQL at http://$(LISTEN)/ (also GET /graphql in a browser),"
	@echo "              GraphQL at http://$(LISTEN)/graphql, the schema drawn at http://$(LISTEN)/voyager,"
	@echo "              messages kept in $(CHAT_DB); Ctrl-C stops it"
	$(BUILD)/examples/chat --listen $(LISTEN) --db $(CHAT_DB)

unit-test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test: unit-test install-test asan fuzz-short
	@echo "make test: every suite passed"

asan: setup
	@CC=clang cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGQL_SANITIZE=ON -DGQL_BENCH=OFF >/dev/null
	@ninja -C build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

build-fuzz: setup
	@CC=clang cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGQL_FUZZ=ON -DGQL_TESTS=OFF >/dev/null
	@ninja -C build-fuzz -j $(JOBS)

fuzz-short: build-fuzz
	@scripts/fuzz build-fuzz $(CI_FUZZ_SECONDS)

fuzz: build-fuzz
	@scripts/fuzz build-fuzz $(FUZZ_SECONDS)

bench: build
	@scripts/bench $(BUILD)

format:
	@find include src tests bench examples -name '*.[ch]' | xargs clang-format -i

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

install-test: build
	@scripts/install-test $(BUILD)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
