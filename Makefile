# evalbias - plain GNU make. `make help` lists the targets.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
PKG_CONFIG ?= pkg-config
CC         ?= cc
CFLAGS     ?= -O2 -g
WARN        = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow \
              -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
# libcsv-dev ships no .pc file, so it is linked as plain -lcsv. libzip and
# expat read .xlsx workbooks (src/xlsx.c).
DEPS_PC     := libpcre2-8 libutf8proc libzip expat
DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEPS_PC) 2>/dev/null)
DEPS_LIBS   := $(shell $(PKG_CONFIG) --libs $(DEPS_PC) 2>/dev/null || echo -lpcre2-8 -lutf8proc -lzip -lexpat) -lcsv -lm -pthread
FINAL_CFLAGS = $(WARN) $(DEPS_CFLAGS) -pthread $(CFLAGS)

BUILD   ?= build
LIB_SRC := $(filter-out src/main.c,$(sort $(wildcard src/*.c)))
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/%)

.PHONY: all check check-run unit golden demo deps clean help
all: evalbias

evalbias: $(BUILD)/obj/main.o $(BUILD)/libevalbias.a
	$(CC) $(FINAL_CFLAGS) -o $@ $^ $(DEPS_LIBS) $(LDFLAGS)

$(BUILD)/libevalbias.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/obj
	$(CC) $(FINAL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/test_%: tests/unit/test_%.c tests/unit/check.h $(BUILD)/libevalbias.a
	$(CC) $(FINAL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libevalbias.a $(DEPS_LIBS) $(LDFLAGS)

$(BUILD)/obj:
	mkdir -p $@

# Every test layer; the last line is the total "N passed, N failed".
# Packages are checked first, then make runs again so pkg-config sees them.
check: deps
	@$(MAKE) --no-print-directory check-run

check-run: evalbias $(UNIT_BIN)
	@sh tests/run-all.sh $(BUILD)

unit: $(UNIT_BIN)
	@sh tests/run-all.sh $(BUILD) unit

golden: evalbias
	@sh tests/run-all.sh $(BUILD) golden

# Install the Debian build dependencies when they are missing (needs root or
# sudo), then build. `make demo` and `make check` depend on nothing else.
deps:
	@sh tests/install-deps.sh

demo: deps
	$(MAKE) evalbias
	./evalbias audit --lexicon lexicons/ --cohort-map samples/cohort-map.csv \
	    -o demo-out samples/evaluations.csv

# ---- Hostile input: fuzzing, sanitizers, stress (tests/fuzz, tests/stress)
# libFuzzer targets, built with clang into build/fuzz/ (the library sources
# again, with ASan+UBSan and coverage). `make fuzz FUZZ_SECONDS=N` runs each
# for N seconds on its seed corpus (tests/fuzz/corpus/NAME, read-only) and a
# working corpus in build/fuzz/corpus/NAME; crashes land in build/fuzz/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD    = build/fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined
# A 64-byte read chunk puts the reader's chunk boundaries inside short inputs.
FUZZ_CFLAGS   = $(WARN) $(DEPS_CFLAGS) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
                -DREADER_CHUNK_BYTES=64
FUZZ_NAMES    = reader normalize lexicon match tally_file xlsx
FUZZ_OBJ     := $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN     := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
# Keep the objects (make would delete them as intermediates) and their
# header dependencies.
.SECONDARY: $(FUZZ_OBJ)
-include $(FUZZ_OBJ:.o=.d)

.PHONY: fuzz fuzz-build check-asan stress
fuzz-build: $(FUZZ_BIN)

$(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(FUZZ_OBJ) $(DEPS_LIBS)

fuzz: $(FUZZ_BIN)
	@for n in $(FUZZ_NAMES); do \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$n; \
	    echo "fuzz_$$n: $(FUZZ_SECONDS) s"; \
	    $(FUZZ_BUILD)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_BUILD)/crash-$$n- \
	        $(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n 2>$(FUZZ_BUILD)/fuzz_$$n.log; \
	    rc=$$?; grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|==[0-9]+==ERROR)' $(FUZZ_BUILD)/fuzz_$$n.log; \
	    [ $$rc = 0 ] || { echo "fuzz_$$n failed: see $(FUZZ_BUILD)/fuzz_$$n.log"; exit 1; }; \
	done

# The whole suite against a binary built with ASan+UBSan in build/asan/.
ASAN_BUILD = build/asan
check-asan: deps
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined" $(ASAN_BUILD)/evalbias check-units
	@EVALBIAS=$(CURDIR)/$(ASAN_BUILD)/evalbias ASAN_OPTIONS=detect_leaks=1 \
	    UBSAN_OPTIONS=print_stacktrace=1 sh tests/run-all.sh $(ASAN_BUILD)

$(ASAN_BUILD)/evalbias: $(ASAN_BUILD)/obj/main.o $(ASAN_BUILD)/libevalbias.a
	$(CC) $(FINAL_CFLAGS) -o $@ $^ $(DEPS_LIBS) $(LDFLAGS)

check-units: $(UNIT_BIN)

# Throughput against cat, rg and grep on a generated export of BENCH_MB MiB
# (cached in bench/data/), peak RSS, callgrind instructions per byte, the
# 10x-lexicon cost; writes bench/results.md. Slow; not part of make check.
BENCH_MB   ?= 1024
BENCH_RUNS ?= 5
.PHONY: bench
bench: evalbias
	BENCH_MB=$(BENCH_MB) BENCH_RUNS=$(BENCH_RUNS) python3 bench/bench.py

# Large generated inputs (slow; not part of make check): tests/stress/stress.sh.
stress: evalbias
	sh tests/stress/stress.sh

clean:
	rm -rf $(BUILD) evalbias demo-out

help:
	@echo "make            build ./evalbias"
	@echo "make demo       install missing packages, build, audit samples/ into demo-out/"
	@echo "make check      build and run every test (ends with 'N passed, N failed')"
	@echo "make unit | golden   one test layer"
	@echo "make check-asan the whole suite against an ASan+UBSan build in build/asan/"
	@echo "make fuzz [FUZZ_SECONDS=N]   each libFuzzer target for N seconds (clang)"
	@echo "make stress     large generated inputs, peak memory (slow; not in check)"
	@echo "make bench [BENCH_MB=N]   throughput vs cat/rg/grep, RSS, instructions per byte"
	@echo "make clean"

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d
