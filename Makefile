# mkdom0 — one obvious way: `make` builds, `make check` tests, `make deps` installs
# what both need on Debian 12.  Sources are picked up by wildcard so that each
# module is just a .c/.h pair in one of src/lib's stage folders (core, spec,
# packages, image, boot, lint, proof, build; included as "stage/name.h"), src/cli (the thin
# CLI: one app_*.c per subcommand) or src/dom0 (static programs that run inside
# the dom0).

CC      ?= cc
BUILD   ?= build
PKGS     = libarchive libcurl libkmod openssl zlib libzstd liblzma inih libdeflate libsquashfs1
WARN     = -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CSTD     = -std=c11 -D_GNU_SOURCE
OPT     ?= -O2 -g
SAN     ?=
CFLAGS  += $(CSTD) $(WARN) $(OPT) $(SAN) -Isrc/lib $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lpthread
DESTDIR ?=
# Quiet by default; `make V=1` shows the commands.
Q = $(if $(V),,@)
PREFIX  ?= /usr/local

LIB_STAGES = core spec packages image boot proof lint build
LIB_SRC  = $(foreach d,$(LIB_STAGES),$(wildcard src/lib/$(d)/*.c))
LIB_HDR  = $(foreach d,$(LIB_STAGES),$(wildcard src/lib/$(d)/*.h))
CLI_SRC  = $(wildcard src/cli/*.c)
DOM0_SRC = $(wildcard src/dom0/*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)

LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# dom0 programs: every src/dom0/*-main.c is one program; the rest is shared.
# All are one static executable (src/dom0/multi.c) copied under each name.
DOM0_MAINS = $(wildcard src/dom0/*-main.c)
DOM0_LIBSRC = $(filter-out $(DOM0_MAINS) src/dom0/multi.c,$(DOM0_SRC))
DOM0_BIN = $(DOM0_MAINS:src/dom0/%-main.c=$(BUILD)/dom0/%)

all: $(BUILD)/mkdom0 $(DOM0_BIN)

$(BUILD)/%.o: %.c $(LIB_HDR) $(wildcard src/dom0/*.h) Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libmkdom0.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/mkdom0: $(CLI_OBJ) $(BUILD)/libmkdom0.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libmkdom0.a $(LDLIBS)

# The dom0 helpers run in an image with no shared libraries of ours: static,
# no sanitizers, no pkg-config libraries.
DOM0_CFLAGS = $(CSTD) $(WARN) -Os -static -ffunction-sections -fdata-sections -Wl,--gc-sections -Isrc/dom0
# -s: the image has no debugger; symbols would be 80 KB of each copy.
DOM0_NAMES = $(DOM0_MAINS:src/dom0/%-main.c=%)
DOM0_ID = $(subst -,_,$(1))
DOM0_TABLE = $(foreach n,$(DOM0_NAMES),X($(call DOM0_ID,$(n)),"$(n)"))
$(BUILD)/dom0-main/%.o: src/dom0/%-main.c $(wildcard src/dom0/*.h) Makefile
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(DOM0_CFLAGS) -Dmain=dom0_main_$(call DOM0_ID,$*) -c -o $@ $<
$(BUILD)/dom0-multi: src/dom0/multi.c $(DOM0_NAMES:%=$(BUILD)/dom0-main/%.o) $(DOM0_LIBSRC) $(wildcard src/dom0/*.h) Makefile
	@$(if $(Q),echo "  STATIC  $@")
	$(Q)$(CC) $(DOM0_CFLAGS) -s '-DDOM0_PROGRAMS=$(DOM0_TABLE)' -o $@ $< $(DOM0_NAMES:%=$(BUILD)/dom0-main/%.o) $(DOM0_LIBSRC)
$(BUILD)/dom0/%: $(BUILD)/dom0-multi
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libmkdom0.a $(DOM0_LIBSRC) $(LIB_HDR) $(wildcard src/dom0/*.h) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CCTEST  $@")
	$(Q)$(CC) $(CFLAGS) -Isrc/dom0 -Itests/unit -o $@ $< $(BUILD)/libmkdom0.a $(DOM0_LIBSRC) $(LDLIBS)

# Builds the unit test binaries, runs none: `make check` (or
# TESTS=unit/ bash tests/run.sh) runs them.  The old "TEST" label on each
# link read as if it had.
unit: $(UNIT_BIN)

deps:
	bash scripts/install-deps

# The suite on the plain build: unit tests, then integration tests (real
# Debian packages, real QEMU and Xen); `make check check-asan` is the whole
# suite (.ci/run).  TESTS=pattern narrows it, MKDOM0_JOBS=N sets how many
# integration tests that boot nothing run side by side (tests/run.sh).
check: all unit
	bash tests/run.sh $(BUILD)

# Unit tests and the fast integration tests under ASan/UBSan.
check-asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g" SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all unit
	# Test 70 runs mkdom0 under faketime, an LD_PRELOAD library that ASan
	# would refuse to follow; the sanitizers still check every call.
	# Test 80 builds its own clang ASan/UBSan fuzz targets whatever the build
	# is; make check has run it (MKDOM0_SANITIZED skips "# own build" tests, and "# dom0 only" ones,
	# which run only the static dom0 programs, built without sanitizers).
	ASAN_OPTIONS=verify_asan_link_order=0 MKDOM0_QUICK=1 MKDOM0_SANITIZED=1 bash tests/run.sh build-asan

# libFuzzer targets (tests/fuzz/fuzz_*.c, one per parser) built with clang
# into build/fuzz, beside and apart from the gcc build, then each run for
# FUZZ_SECONDS over its seed corpus (tests/fuzz/corpus/NAME); non-zero exit
# on a finding (crash, sanitizer report, leak, timeout, memory over the limit).
# FUZZ=regex narrows the targets.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN      = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SRC      = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN      = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(BUILD)/libmkdom0.a $(DOM0_LIBSRC) $(LIB_HDR) $(wildcard src/dom0/*.h)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(CFLAGS) -fsanitize=fuzzer -Isrc/dom0 -Itests/fuzz -o $@ $< $(BUILD)/libmkdom0.a $(DOM0_LIBSRC) $(LDLIBS)

# fuzz_release compiles packages/repo_load.c into itself (its readers are static).
$(BUILD)/fuzz_release: src/lib/packages/repo_load.c

# clang warns of `{ X }` initialising only the first field, which gcc and
# C11 take as intended (the rest zero).
fuzz-build:
	$(MAKE) BUILD=build/fuzz CC=$(FUZZ_CC) OPT="-O1 -g" SAN="$(FUZZ_SAN)" \
		WARN="$(WARN) -Wno-missing-field-initializers" $(FUZZ_BIN)

fuzz: fuzz-build
	bash tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

# The benchmarks: build-vs-shell drives the image writer through the unit
# test driver test_image.
bench: all $(BUILD)/tests/test_image
	bash bench/run.sh $(BUILD)

install: all
	install -Dm755 $(BUILD)/mkdom0 $(DESTDIR)$(PREFIX)/bin/mkdom0
	for p in $(DOM0_BIN); do install -Dm755 $$p $(DESTDIR)$(PREFIX)/lib/mkdom0/dom0/$$(basename $$p); done
	install -Dm644 man/mkdom0.1 $(DESTDIR)$(PREFIX)/share/man/man1/mkdom0.1
	mkdir -p $(DESTDIR)$(PREFIX)/share/mkdom0
	cp -R data/. $(DESTDIR)$(PREFIX)/share/mkdom0/

clean:
	rm -rf build build-asan

.PHONY: all unit deps check check-asan fuzz fuzz-build bench install clean
.SECONDARY:
