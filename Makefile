# sgc - GNU make, no autotools.
#
#   make                 build build/release/sgc
#   make check           unit, golden, diagnostic, CLI and deploy tests
#   make deploy          run every emitted script against the real tools (tests/deploy)
#   make asan            the same tests under AddressSanitizer + UBSan
#   make fuzz            libFuzzer run (clang), FUZZ_SECONDS long
#   make bench           throughput on a generated input
#   make install         PREFIX=/usr/local DESTDIR=
#   make golden-update   rewrite expected outputs (review the diff!)

VARIANT ?= release
VALID_VARIANTS := release debug san fuzz
ifeq ($(filter $(VARIANT),$(VALID_VARIANTS)),)
  $(error VARIANT must be one of: $(VALID_VARIANTS))
endif

CC      ?= cc
ifeq ($(origin CC),default)
  CC := cc
endif
PREFIX  ?= /usr/local
DESTDIR ?=
FUZZ_SECONDS ?= 60

COMPILER_TAG := $(if $(findstring clang,$(notdir $(CC))),-clang,)
BUILD := build/$(VARIANT)$(COMPILER_TAG)
GEN   := $(BUILD)/gen

PKGS := jansson yaml-0.1
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wundef -Wpointer-arith -Wwrite-strings -Wformat=2
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -iquote compiler -iquote $(GEN) $(PKG_CFLAGS) -MMD -MP

ifeq ($(VARIANT),release)
  OPT := -O2 -g
endif
ifeq ($(VARIANT),debug)
  OPT := -O0 -g3
endif
ifeq ($(VARIANT),san)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  SAN_LDFLAGS := -fsanitize=address,undefined
endif
ifeq ($(VARIANT),fuzz)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
  SAN_LDFLAGS := -fsanitize=address,undefined
endif

CFLAGS_ALL := $(BASE_CFLAGS) $(OPT) $(CFLAGS)
LDFLAGS_ALL := $(SAN_LDFLAGS) $(LDFLAGS)

LIB_SRCS := $(filter-out compiler/main.c,$(wildcard compiler/*.c))
LIB_OBJS := $(patsubst compiler/%.c,$(BUILD)/%.o,$(LIB_SRCS)) \
            $(BUILD)/gen/parser.o $(BUILD)/gen/lexer.o $(BUILD)/gen/stdlib_data.o
LIB := $(BUILD)/libsgc.a
SGC := $(BUILD)/sgc

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

STDLIB := $(sort $(wildcard stdlib/*.sgl stdlib/lifecycle/*.sh stdlib/remote/*.sh stdlib/remote/ssh_config))
# Embedded in the binary: the stdlib, and the text `sgc explain` prints.
EMBED  := $(STDLIB) $(wildcard docs/diagnostics.md)

.PHONY: all check unit golden errors good formats cli deploy asan fuzz fuzz-build bench install \
        uninstall clean golden-update
.DELETE_ON_ERROR:

all: $(SGC)

$(SGC): $(BUILD)/main.o $(LIB)
	$(CC) $(OPT) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(LIB): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: compiler/%.c | $(GEN)/parser.h $(GEN)/lexer.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(WARN) -Werror -c -o $@ $<

# Generated sources: bison and flex output is not ours to keep warning-free.
$(GEN)/parser.c $(GEN)/parser.h: grammar/parser.y
	@mkdir -p $(GEN)
	bison -Wall -Werror --header=$(GEN)/parser.h -o $(GEN)/parser.c $<

$(GEN)/lexer.c $(GEN)/lexer.h: grammar/lexer.l $(GEN)/parser.h
	@mkdir -p $(GEN)
	flex --header-file=$(GEN)/lexer.h -o $(GEN)/lexer.c $<

$(GEN)/stdlib_data.c: $(EMBED) tools/embed.sh
	@mkdir -p $(GEN)
	sh tools/embed.sh $(EMBED) > $@

$(BUILD)/gen/%.o: $(GEN)/%.c
	$(CC) $(CFLAGS_ALL) -Wno-unused-function -c -o $@ $<

# ---- tests ---------------------------------------------------------------

check: unit golden errors good formats cli deploy

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(WARN) -Werror $(LDFLAGS_ALL) -o $@ $< $(LIB) $(PKG_LIBS) $(CMOCKA_LIBS)

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

golden: $(SGC)
	@sh tests/golden/run.sh $(SGC)

errors: $(SGC)
	@sh tests/errors/run.sh $(SGC)

good: $(SGC)
	@sh tests/good/run.sh $(SGC)

formats: $(SGC)
	@sh tests/formats/run.sh $(SGC)

cli: $(SGC)
	@sh tests/cli/run.sh $(SGC)

# The deploy tests run what the release build emits (scripts, templates), in
# fake machines against the real AWS CLI and OpenSSH; other variants (asan)
# would emit the same files, so they do not run them again.
ifeq ($(VARIANT),release)
deploy: $(SGC)
	@bash tests/deploy/run.sh $(SGC)
else
deploy:
	@echo "deploy: not run for VARIANT=$(VARIANT): it tests the release build's output (make deploy)"
endif

golden-update: $(SGC)
	@UPDATE=1 sh tests/golden/run.sh $(SGC)
	@UPDATE=1 sh tests/errors/run.sh $(SGC)
	@UPDATE=1 sh tests/formats/run.sh $(SGC)

asan:
	$(MAKE) VARIANT=san check

# ---- fuzzing and benchmarks ----------------------------------------------

FUZZ_BIN := build/fuzz-clang/fuzz_compile

fuzz-build:
	$(MAKE) VARIANT=fuzz CC=clang build/fuzz-clang/fuzz_compile

build/fuzz-clang/fuzz_compile: tests/fuzz/fuzz_compile.c $(LIB)
	$(CC) $(CFLAGS_ALL) $(WARN) -fsanitize=fuzzer,address,undefined -o $@ $< $(LIB) $(PKG_LIBS)

# New corpus entries go to build/fuzz-corpus; crash, leak and timeout
# inputs to build/fuzz-artifacts/ (keep a reproducer in tests/fuzz/crashes/).
fuzz: fuzz-build
	@mkdir -p build/fuzz-corpus build/fuzz-artifacts
	cp -n examples/*.sgl tests/errors/*.sgl build/fuzz-corpus/ 2>/dev/null || true
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=5 \
	  -artifact_prefix=build/fuzz-artifacts/ \
	  -dict=tests/fuzz/sgl.dict build/fuzz-corpus tests/fuzz/seeds

# Throughput, then the bounds of issue 9: time and peak memory against
# input size for each input class that once blew up (bench/bounds-*.sh).
bench: $(BUILD)/bench $(SGC)
	@$(BUILD)/bench
	@for s in bench/bounds-*.sh; do echo "== $$s"; sh $$s $(SGC) || exit 1; done

$(BUILD)/bench: bench/bench.c $(LIB)
	$(CC) $(CFLAGS_ALL) $(WARN) -Werror $(LDFLAGS_ALL) -o $@ $< $(LIB) $(PKG_LIBS)

# ---- install ---------------------------------------------------------------

install: $(SGC)
	install -D -m 755 $(SGC) $(DESTDIR)$(PREFIX)/bin/sgc
	for f in $(STDLIB); do install -D -m 644 $$f $(DESTDIR)$(PREFIX)/share/sgc/$$f; done
	install -d $(DESTDIR)$(PREFIX)/share/doc/sgc
	install -m 644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/sgc/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sgc
	rm -rf $(DESTDIR)$(PREFIX)/share/sgc $(DESTDIR)$(PREFIX)/share/doc/sgc

clean:
	rm -rf build/

-include $(wildcard $(BUILD)/*.d $(BUILD)/gen/*.d $(BUILD)/tests/*.d)
