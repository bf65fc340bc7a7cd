# sgc - GNU make, no autotools.
#
#   make                 build build/release/sgc
#   make check           unit, golden, diagnostic, CLI, language server, fmtdiff and deploy tests
#   make deploy          run every emitted script against the real tools (tests/deploy)
#   make asan            the same tests under AddressSanitizer + UBSan
#   make fuzz            every libFuzzer target (clang), FUZZ_SECONDS (60) each
#   make fuzz-long       the same, FUZZ_LONG_SECONDS (3600) each
#   make bench           throughput on a generated input
#   make install         PREFIX=/usr/local DESTDIR= (binary, man page, completions, docs)
#   make release-check   man page, completions, dist, deb, action and hook scripts (tests/release)
#   make dist            build/sgc-VERSION.tar.gz from HEAD (git archive, reproducible)
#   make deb             build/sgc_VERSION_ARCH.deb (dpkg-deb; VARIANT=release only)
#   make golden-update   rewrite expected outputs (review the diff!)
#   make graphs          docs/graphs/*.svg from the examples (Graphviz's dot, Debian: graphviz)

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

# The version, from one place: VERSION (sgc --version, SARIF's tool version,
# make dist and make deb all read it through $(GEN)/version.h or this variable).
SGC_VERSION := $(shell cat VERSION)

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

LIB_SRCS := $(filter-out compiler/main.c,$(wildcard compiler/*.c compiler/kinds/*.c))
LIB_OBJS := $(patsubst compiler/%.c,$(BUILD)/%.o,$(LIB_SRCS)) \
            $(BUILD)/gen/parser.o $(BUILD)/gen/lexer.o $(BUILD)/gen/stdlib_data.o
LIB := $(BUILD)/libsgc.a
SGC := $(BUILD)/sgc

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

STDLIB := $(sort $(wildcard stdlib/*.sgl stdlib/lifecycle/*.sh stdlib/remote/*.sh stdlib/remote/ssh_config))
# Embedded in the binary: the stdlib, and the text `sgc explain` prints.
EMBED  := $(STDLIB) $(wildcard docs/diagnostics.md)

.PHONY: FORCE all check unit golden graph graphs errors good formats cli lsp deploy release-check fmtdiff asan fuzz fuzz-build fuzz-long \
        fuzz-regress fuzz-regress-gen fuzz-seeds dist deb $(patsubst %,fuzz-run-%,compile fmt vars outputs diff) \
        $(patsubst %,fuzz-regress-%,compile fmt vars outputs diff) bench install \
        uninstall clean golden-update
.DELETE_ON_ERROR:

all: $(SGC)

$(SGC): $(BUILD)/main.o $(LIB)
	$(CC) $(OPT) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(LIB): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: compiler/%.c | $(GEN)/parser.h $(GEN)/lexer.h $(GEN)/version.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(WARN) -Werror -c -o $@ $<

# Generated sources: bison and flex output is not ours to keep warning-free.
$(GEN)/parser.c $(GEN)/parser.h: grammar/parser.y
	@mkdir -p $(GEN)
	bison -Wall -Werror --header=$(GEN)/parser.h -o $(GEN)/parser.c $<

$(GEN)/lexer.c $(GEN)/lexer.h: grammar/lexer.l $(GEN)/parser.h
	@mkdir -p $(GEN)
	flex --header-file=$(GEN)/lexer.h -o $(GEN)/lexer.c $<

# Where this copy of sgc is published: SARIF logs link each rule to
# $(DOCS_URL)/docs/diagnostics.md#<code> (helpUri) and the tool to $(DOCS_URL)
# (informationUri). Set it when you publish: make DOCS_URL=https://...
DOCS_URL ?= https://example.invalid/sgc

# Rewritten only when VERSION or DOCS_URL says something else, so nothing rebuilds needlessly.
$(GEN)/version.h: VERSION FORCE
	@mkdir -p $(GEN)
	@printf '/* generated from VERSION by the Makefile */\n#define SGC_VERSION "%s"\n#define SGC_DOCS_URL "%s"\n' \
	  "$$(cat VERSION)" "$(DOCS_URL)" > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

FORCE:

$(GEN)/stdlib_data.c: $(EMBED) tools/embed.sh
	@mkdir -p $(GEN)
	sh tools/embed.sh $(EMBED) > $@

$(BUILD)/gen/%.o: $(GEN)/%.c
	$(CC) $(CFLAGS_ALL) -Wno-unused-function -c -o $@ $<

# ---- tests ---------------------------------------------------------------

check: unit golden graph errors good formats cli lsp fmtdiff release-check deploy

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(WARN) -Werror $(LDFLAGS_ALL) -o $@ $< $(LIB) $(PKG_LIBS) $(CMOCKA_LIBS)

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

golden: $(SGC)
	@sh tests/golden/run.sh $(SGC)

# `sgc graph`: each example's DOT against tests/graph/NAME.dot
graph: $(SGC)
	@sh tests/graph/run.sh $(SGC)

# The pictures docs/examples.md shows, from the checked examples (needs `dot`)
graphs: $(SGC)
	@command -v dot >/dev/null || { echo "graphs: needs Graphviz's dot (Debian: apt-get install graphviz)"; exit 2; }
	@mkdir -p docs/graphs
	@for f in examples/*.sgl; do \
	  n=$$(basename $$f .sgl); \
	  $(SGC) graph --color=never $$f -o docs/graphs/$$n.svg 2>/dev/null || { echo "graphs: $$n failed"; exit 1; }; \
	  echo "docs/graphs/$$n.svg"; \
	done

errors: $(SGC)
	@sh tests/errors/run.sh $(SGC)

good: $(SGC)
	@sh tests/good/run.sh $(SGC)

formats: $(SGC)
	@sh tests/formats/run.sh $(SGC)

cli: $(SGC)
	@sh tests/cli/run.sh $(SGC)

# The language server (tests/lsp): a scripted client speaking JSON-RPC to `sgc lsp`;
# then every structured fix of the error tests applied, and checked gone.
lsp: $(SGC)
	@python3 tests/lsp/run.py $(SGC)
	@python3 tests/lsp/fixes.py $(SGC)

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

# The release pieces (tests/release): man page, completions, make dist and
# make deb (built from the release build, so run for it only), the GitHub
# Action's and the pre-commit hook's scripts.
ifeq ($(VARIANT),release)
release-check: $(SGC)
	@bash tests/release/run.sh $(SGC)
else
release-check:
	@echo "release-check: not run for VARIANT=$(VARIANT): it packages the release build"
endif

# The formatter's differential test (tests/fmtdiff): fmt must print what
# the old formatter printed (recorded as hashes in tests/fmtdiff/goldens)
# for every sgl input we keep.
FMTDIFF := $(BUILD)/fmtdiff
$(FMTDIFF): tests/fmtdiff/fmtdiff.c $(LIB)
	$(CC) $(CFLAGS_ALL) $(WARN) -Werror $(LDFLAGS_ALL) -o $@ $< $(LIB) $(PKG_LIBS)

fmtdiff: $(FMTDIFF) fuzz-regress-gen
	@sh tests/fmtdiff/run.sh $(FMTDIFF) goldens tests/fmtdiff/goldens

golden-update: $(SGC) $(FMTDIFF) fuzz-regress-gen
	@sh tests/fmtdiff/run.sh $(FMTDIFF) record tests/fmtdiff/goldens
	@UPDATE=1 sh tests/golden/run.sh $(SGC)
	@UPDATE=1 sh tests/graph/run.sh $(SGC)
	@UPDATE=1 sh tests/errors/run.sh $(SGC)
	@UPDATE=1 sh tests/formats/run.sh $(SGC)
	@sh tests/cli/diff/update.sh $(SGC)

asan:
	$(MAKE) VARIANT=san check

# ---- fuzzing and benchmarks ----------------------------------------------

# Every libFuzzer target (tests/fuzz/README.md), built with clang, ASan and
# UBSan. The guard in fuzz_common.c sees every file the library opens
# through --wrap, so no target reads outside its sandbox.
FUZZ_TARGETS := compile fmt vars outputs diff
FUZZ_DIR := build/fuzz-clang
FUZZ_BINS := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))
FUZZ_WRAP := -Wl,--wrap=fopen,--wrap=open,--wrap=openat

fuzz-build:
	$(MAKE) VARIANT=fuzz CC=clang $(FUZZ_BINS)

$(FUZZ_DIR)/fuzz_common.o: tests/fuzz/fuzz_common.c tests/fuzz/fuzz_common.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(WARN) -Werror -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_DIR)/fuzz_common.o $(LIB)
	$(CC) $(CFLAGS_ALL) $(WARN) -Werror -iquote tests/fuzz -fsanitize=fuzzer,address,undefined \
	  $(FUZZ_WRAP) -o $@ $< $(FUZZ_DIR)/fuzz_common.o $(LIB) $(PKG_LIBS)

# Limits: an input may take FUZZ_TIMEOUT seconds and the process
# FUZZ_RSS_MB of memory (one allocation as much) before libFuzzer reports a
# timeout or an OOM. Tight on purpose: normal inputs take milliseconds and
# the whole process stays under 400 MB, while a blow-up such as issue 9's
# 26 doubling endpoint-set definitions (60 s, 13 GB) trips both at once.
FUZZ_TIMEOUT ?= 3
FUZZ_RSS_MB ?= 1024
FUZZ_MAX_LEN ?= 8192
FUZZ_LIMITS = -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=$(FUZZ_RSS_MB) -malloc_limit_mb=$(FUZZ_RSS_MB)
# The regression pass replays the generated reproducers whole (up to 2 MB,
# 200 times FUZZ_MAX_LEN): linear work, but seconds under ASan. Memory
# stays as tight, so an exponential case still trips the RSS limit.
FUZZ_REGRESS_TIMEOUT ?= 30
FUZZ_REGRESS_LIMITS = -timeout=$(FUZZ_REGRESS_TIMEOUT) -rss_limit_mb=$(FUZZ_RSS_MB) -malloc_limit_mb=$(FUZZ_RSS_MB)

# What each target reads: the three that take sgl share the language's
# dictionary, seeds (tests/fuzz/seeds/sgl plus every .sgl of examples/ and
# tests/, gathered by fuzz-seeds) and issue reproducers; vars and diff
# (templates) have their own; each also has its own seeds directory and
# corpus. tests/fuzz/README.md describes them.
fuzz_kind = $(if $(filter vars diff,$(1)),$(1),sgl)
fuzz_dict = tests/fuzz/$(call fuzz_kind,$(1)).dict
fuzz_seeds = $(if $(filter vars diff,$(1)),,build/fuzz-seeds/sgl tests/fuzz/seeds/sgl) \
  tests/fuzz/seeds/$(1) tests/fuzz/regress/$(call fuzz_kind,$(1))
fuzz_regress = tests/fuzz/regress/$(call fuzz_kind,$(1)) build/fuzz-regress/$(call fuzz_kind,$(1)) \
  tests/fuzz/crashes/$(1)

# fuzz-regress-T runs target T once over every regression input (issue
# reproducers, the large ones generated by tests/fuzz/regress-gen.sh, crashes
# found before), whole, not cut to FUZZ_MAX_LEN: any
# crash, leak, timeout or OOM fails it. fuzz-run-T then fuzzes T for
# FUZZ_SECONDS; new corpus entries go to build/fuzz-corpus/T, crash, leak
# and timeout inputs to build/fuzz-artifacts/T/ (keep a minimal reproducer
# in tests/fuzz/crashes/T/, which fuzz-regress-T runs from then on).
define FUZZ_RULES
fuzz-regress-$(1): fuzz-build fuzz-regress-gen
	@mkdir -p build/fuzz-artifacts/$(1)
	@sh tests/fuzz/regress.sh $(FUZZ_DIR)/fuzz_$(1) build/fuzz-artifacts/$(1) \
	  "$$(FUZZ_REGRESS_LIMITS)" $(call fuzz_regress,$(1))

fuzz-run-$(1): fuzz-regress-$(1) fuzz-seeds
	@mkdir -p build/fuzz-corpus/$(1)
	@echo "== fuzz $(1): $$(FUZZ_SECONDS) s"
	$(FUZZ_DIR)/fuzz_$(1) -max_total_time=$$(FUZZ_SECONDS) -max_len=$$(FUZZ_MAX_LEN) \
	  $$(FUZZ_LIMITS) -print_final_stats=1 -artifact_prefix=build/fuzz-artifacts/$(1)/ \
	  -dict=$(call fuzz_dict,$(1)) build/fuzz-corpus/$(1) $(call fuzz_seeds,$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_RULES,$(t))))

fuzz-seeds:
	@rm -rf build/fuzz-seeds/sgl && mkdir -p build/fuzz-seeds/sgl
	@for f in examples/*.sgl tests/*/*.sgl; do \
	  cp "$$f" build/fuzz-seeds/sgl/$$(echo "$$f" | tr / _); done

fuzz-regress-gen:
	@sh tests/fuzz/regress-gen.sh build/fuzz-regress

fuzz-regress: $(patsubst %,fuzz-regress-%,$(FUZZ_TARGETS))

# One target after the other (never in parallel: each wants a core).
fuzz:
	@for t in $(FUZZ_TARGETS); do \
	  $(MAKE) --no-print-directory fuzz-run-$$t FUZZ_SECONDS=$(FUZZ_SECONDS) || exit 1; done

FUZZ_LONG_SECONDS ?= 3600
fuzz-long:
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_LONG_SECONDS)

# Throughput, the language server's response times (bench/lsp.py), then the bounds of issue 9: time and peak memory against
# input size for each input class that once blew up (bench/bounds-*.sh).
bench: $(BUILD)/bench $(SGC)
	@$(BUILD)/bench
	@python3 bench/lsp.py $(SGC) $(BUILD)/bench 2000 10
	@for s in bench/bounds-*.sh; do echo "== $$s"; sh $$s $(SGC) || exit 1; done

$(BUILD)/bench: bench/bench.c $(LIB)
	$(CC) $(CFLAGS_ALL) $(WARN) -Werror $(LDFLAGS_ALL) -o $@ $< $(LIB) $(PKG_LIBS)

# ---- install ---------------------------------------------------------------

# The man page with its version filled in from VERSION.
MAN := build/man/sgc.1
$(MAN): man/sgc.1 VERSION
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(SGC_VERSION)/' man/sgc.1 > $@

# make dist: the source tarball of HEAD (git archive: committed files only,
# in git's order, mtimes the commit's, gzip without a timestamp, so the
# same commit gives the same bytes). make deb: the Debian package
# (tools/mkdeb.sh, dpkg-deb only). Both land in build/.
DIST := build/sgc-$(SGC_VERSION).tar.gz
dist:
	@mkdir -p build
	@git diff --quiet HEAD -- 2>/dev/null || echo "dist: uncommitted changes are not in the tarball: it packs HEAD"
	git archive --format=tar --prefix=sgc-$(SGC_VERSION)/ HEAD | gzip -9n > $(DIST).tmp
	@mv $(DIST).tmp $(DIST)
	@echo $(DIST)

DEB_ARCH = $(shell dpkg --print-architecture)
deb: $(SGC) $(MAN)
	@STDLIB="$(STDLIB)" sh tools/mkdeb.sh $(SGC) $(MAN) $(SGC_VERSION) build/sgc_$(SGC_VERSION)_$(DEB_ARCH).deb

install: $(SGC) $(MAN)
	install -D -m 755 $(SGC) $(DESTDIR)$(PREFIX)/bin/sgc
	for f in $(STDLIB); do install -D -m 644 $$f $(DESTDIR)$(PREFIX)/share/sgc/$$f; done
	install -d $(DESTDIR)$(PREFIX)/share/doc/sgc
	install -m 644 README.md LICENSE docs/*.md $(DESTDIR)$(PREFIX)/share/doc/sgc/
	install -D -m 644 $(MAN) $(DESTDIR)$(PREFIX)/share/man/man1/sgc.1
	install -D -m 644 completions/sgc.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sgc
	install -D -m 644 completions/_sgc $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sgc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sgc $(DESTDIR)$(PREFIX)/share/man/man1/sgc.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sgc
	rm -f $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sgc
	rm -rf $(DESTDIR)$(PREFIX)/share/sgc $(DESTDIR)$(PREFIX)/share/doc/sgc

clean:
	rm -rf build/

-include $(wildcard $(BUILD)/*.d $(BUILD)/kinds/*.d $(BUILD)/gen/*.d $(BUILD)/tests/*.d)
