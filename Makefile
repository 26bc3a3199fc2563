# ecpolicy: build, test, demo, install.  See README.md.
#
#   make            build ./ecpolicy
#   make deps       install missing build dependencies (Debian packages)
#   make demo       build and run the built-in policies on examples/demo
#   make test       every test, ending in "N passed, N failed"
#   make bench      synthetic 10k/100k-cache inventories, timed
#   make bench-fetch  live collection against a local endpoint with latency, timed
#   make catalog    regenerate docs/controls.md from the policies' metadata
#   make install    PREFIX=/usr/local by default

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/ecpolicy
MANDIR     ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
CC         ?= cc
BUILD      ?= build
SANITIZE   ?=

PKGS := lua5.4 libcurl openssl libcjson expat
# Debian packages that provide the pkg-config modules above, in the same order.
DEBS := liblua5.4-dev libcurl4-openssl-dev libssl-dev libcjson-dev libexpat1-dev

CFLAGS ?= -O2 -g
WARN   := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wwrite-strings -Wpointer-arith -Wformat=2 \
          -Wvla
ifeq ($(SANITIZE),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
endif

PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS) -D_XOPEN_SOURCE=700 \
             -Iengine -I$(BUILD)/gen $(PKG_CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm -pthread

ENGINE_SRC := $(filter-out engine/main.c,$(shell find engine -name '*.c' | sort))
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded_lua.o
EMBED_LUA  := $(sort $(wildcard engine/lua/*.lua))
UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%) $(BUILD)/tests/lua_runner

ifeq ($(BUILD),build)
BIN := ecpolicy
else
BIN := $(BUILD)/ecpolicy
endif

.PHONY: all deps demo test test-build install uninstall clean bench bench-fetch catalog lint check-deps
.DELETE_ON_ERROR:

all: $(BIN)

$(BIN): $(BUILD)/engine/main.o $(BUILD)/libecpolicy.a
	@echo "LINK $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libecpolicy.a: $(ENGINE_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/%.o: %.c | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@echo "CC   $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The engine's own Lua (model building, declaration checks) is compiled in
# as source text; it is loaded in text mode like every other chunk.
$(BUILD)/gen/embedded_lua.c: $(EMBED_LUA) tools/embed-lua.sh
	@mkdir -p $(dir $@)
	@echo "GEN  $@"
	@sh tools/embed-lua.sh $(EMBED_LUA) > $@

$(BUILD)/gen/embedded_lua.o: $(BUILD)/gen/embedded_lua.c
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/.deps-ok:
	@mkdir -p $(BUILD)
	@missing=""; for p in $(PKGS); do \
	    $(PKG_CONFIG) --exists $$p 2>/dev/null || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "ecpolicy: missing build dependencies:$$missing" >&2; \
	    echo "ecpolicy: run 'make deps' (Debian) or install them" >&2; \
	    exit 1; \
	fi
	@touch $@

deps:
	@sh tools/install-deps.sh "$(PKG_CONFIG)" "$(PKGS)" "$(DEBS)"

demo: deps
	@$(MAKE) --no-print-directory all
	@echo
	@./ecpolicy run --snapshot examples/demo; rc=$$?; \
	case $$rc in \
	    0|1|3) echo; echo "demo: ran to completion (exit $$rc: see 'Exit codes' in README.md)";; \
	    *) echo "demo: ecpolicy failed with exit $$rc" >&2; exit $$rc;; \
	esac

# Unit-test binaries link the engine library, so they test the same code.
$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libecpolicy.a
	@mkdir -p $(dir $@)
	@echo "CC   $<"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libecpolicy.a \
	    $(ALL_LDFLAGS) $(LIBS)

$(BUILD)/tests/lua_runner: tests/lua/runner.c $(BUILD)/libecpolicy.a
	@mkdir -p $(dir $@)
	@echo "CC   $<"
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libecpolicy.a $(ALL_LDFLAGS) $(LIBS)

test-build: $(BIN) $(UNIT_BIN)

# The suite runs against the normal build and again against an ASan+UBSan
# build; tests/run.sh prints the one summary line.
test: check-deps
	@$(MAKE) --no-print-directory test-build
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 CFLAGS="-O1 -g" test-build
	@bash tests/run.sh

check-deps: $(BUILD)/.deps-ok

bench: $(BIN)
	@ECPOLICY=$(BIN) sh bench/run.sh

bench-fetch: $(BIN)
	@ECPOLICY=$(BIN) sh bench/fetch/run.sh

catalog: $(BIN)
	ECPOLICY_DATADIR=. ./$(BIN) list --format json --no-config | python3 tools/gen-catalog.py >docs/controls.md.tmp
	mv docs/controls.md.tmp docs/controls.md

# luacheck (.luacheckrc: the sandbox's globals) and the types/ check, as TAP.
lint:
	@sh tests/lint/run.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/policies \
	    $(DESTDIR)$(DATADIR)/stdlib $(DESTDIR)$(DATADIR)/types $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/ecpolicy
	install -m 644 policies/*.lua $(DESTDIR)$(DATADIR)/policies
	install -m 644 stdlib/*.lua $(DESTDIR)$(DATADIR)/stdlib
	install -m 644 types/*.lua $(DESTDIR)$(DATADIR)/types
	# The editor settings for a policy folder elsewhere (docs/policy-api.md).
	sed -e 's|"types"|"$(DATADIR)/types"|' -e 's|"?.lua"|"?.lua", "stdlib/?.lua"|' \
	    -e '/"ignoreDir"/d' .luarc.json >$(DESTDIR)$(DATADIR)/luarc.json
	rm -rf $(DESTDIR)$(DATADIR)/policies/tests
	if [ -d policies/tests ]; then cp -R policies/tests $(DESTDIR)$(DATADIR)/policies/ && \
	    chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)/policies/tests; fi
	install -m 644 docs/ecpolicy.1 $(DESTDIR)$(MANDIR)/man1/ecpolicy.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ecpolicy $(DESTDIR)$(MANDIR)/man1/ecpolicy.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build ecpolicy

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
