# evalbias - plain GNU make. `make help` lists the targets.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
PKG_CONFIG ?= pkg-config
CC         ?= cc
CFLAGS     ?= -O2 -g
WARN        = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow \
              -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
# libcsv-dev ships no .pc file, so it is linked as plain -lcsv.
DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags libpcre2-8 libutf8proc 2>/dev/null)
DEPS_LIBS   := $(shell $(PKG_CONFIG) --libs libpcre2-8 libutf8proc 2>/dev/null || echo -lpcre2-8 -lutf8proc) -lcsv -lm
FINAL_CFLAGS = $(WARN) $(DEPS_CFLAGS) $(CFLAGS)

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

clean:
	rm -rf $(BUILD) evalbias demo-out

help:
	@echo "make            build ./evalbias"
	@echo "make demo       install missing packages, build, audit samples/ into demo-out/"
	@echo "make check      build and run every test (ends with 'N passed, N failed')"
	@echo "make unit | golden   one test layer"
	@echo "make clean"

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d
