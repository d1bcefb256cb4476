# SPDX-License-Identifier: GPL-3.0-or-later
# wardwatch - one GNU Makefile. Objects go out of tree in $(BUILD)/ (build/ or build-asan/).
#   make            build everything          make V=1     show full command lines
#   make run        install deps, build, start the demo ward office and the appliance
#   make test       install deps, build, run unit + integration tests
#   make check-asan the same suite built with ASan+UBSan in build-asan/
#   make fuzz       libFuzzer targets (tests/fuzz/) built with clang in build-fuzz/, each run
#                   FUZZ_SECONDS (600) seconds, two at a time; make check-fuzz-long: the same
#   make bench      benchmarks (bench/)       make clean

BUILD ?= build
SAN ?= 0
CC ?= cc
PKGS := netsnmp librrd libmicrohttpd sqlite3 jansson libsodium inih libcurl gnutls icu-uc zlib libpcap

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wno-unused-parameter -Werror
# where the collector reads its device profiles unless [collector] profile_dir says otherwise
PROFILE_DIR ?= $(CURDIR)/collector/profiles
# where inventory reads its readiness and lifespan rules unless [inventory] rules_dir says otherwise
RULES_DIR ?= $(CURDIR)/inventory/rules
CPPFLAGS += -std=gnu11 -D_GNU_SOURCE -I. $(shell pkg-config --cflags $(PKGS))
# the starting catalogue of job roles and skills (issue 17), loaded when those tables are empty
CATALOGUE_DIR ?= $(CURDIR)/inventory/catalogue
CPPFLAGS += -DWW_PROFILE_DIR='"$(PROFILE_DIR)"' -DWW_RULES_DIR='"$(RULES_DIR)"' \
            -DWW_CATALOGUE_DIR='"$(CATALOGUE_DIR)"'
LDLIBS += $(shell pkg-config --libs $(PKGS)) $(shell net-snmp-config --libs 2>/dev/null) -lpthread -lm
ifeq ($(SAN),1)
CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif
# FUZZ=1 (make fuzz, BUILD=build-fuzz): clang, every object instrumented for libFuzzer with
# ASan+UBSan; only the fuzz targets link libFuzzer's main (-fsanitize=fuzzer)
ifeq ($(FUZZ),1)
CC := clang
CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
          -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
# clang also flags a va_list format passed on (libmicrohttpd's log callback); gcc does not
WARN += -Wno-format-nonliteral
endif
FUZZ_SECONDS ?= 600

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2)
endif

# modules: a static library each, of every .c but main.c
MODULES := common storage inventory collector probes dashboard
define module_srcs
$(filter-out $(1)/main.c,$(wildcard $(1)/*.c))
endef
lib_of = $(BUILD)/lib/libww$(1).a
# what each module links, users before what they use (dependencies point downward)
have = $(if $(call module_srcs,$(1)),$(call lib_of,$(1)))
libs_for = $(foreach m,$(DEPS_$(1)),$(call have,$(m)))
DEPS_common := common
DEPS_storage := storage common
DEPS_inventory := inventory common
DEPS_collector := collector inventory storage common
DEPS_probes := probes inventory storage common
DEPS_dashboard := dashboard inventory storage common
DEPS_appliance := dashboard collector probes inventory storage common

PROGS := $(BUILD)/bin/wardwatch-collector $(BUILD)/bin/wardwatch-dashboard $(BUILD)/bin/wardwatch \
         $(BUILD)/bin/wardwatch-probe
BENCH_PROGS := $(BUILD)/bin/ww-agentsim $(BUILD)/bin/ww-gapbench

UNIT_SRCS := $(wildcard tests/unit/*/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))

# tests/fuzz/<name>/fuzz_<name>.c -> $(BUILD)/fuzz/fuzz_<name> (FUZZ=1 builds only)
FUZZ_SRCS := $(wildcard tests/fuzz/*/fuzz_*.c)
FUZZ_BINS := $(foreach f,$(FUZZ_SRCS),$(BUILD)/fuzz/$(basename $(notdir $(f))))

ALL_SRCS := $(foreach m,$(MODULES) appliance bench,$(wildcard $(m)/*.c)) $(UNIT_SRCS)
ifeq ($(FUZZ),1)
ALL_SRCS += $(FUZZ_SRCS)
endif
OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(ALL_SRCS))

.SECONDARY:
.PHONY: all run test check-asan check-faults-long bench clean deps unit-bins test-only fuzz fuzz-bins check-fuzz-long
all: $(PROGS) $(BENCH_PROGS) $(UNIT_BINS)

$(BUILD)/obj/%.o: %.c
	$(call msg,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

define module_rule
$(call lib_of,$(1)): $(patsubst %.c,$(BUILD)/obj/%.o,$(call module_srcs,$(1)))
	$$(call msg,AR,$$@)
	@mkdir -p $$(dir $$@)
	$(Q)rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(if $(call module_srcs,$(m)),$(eval $(call module_rule,$(m)))))

$(BUILD)/bin/wardwatch-collector: $(BUILD)/obj/collector/main.o $(call libs_for,collector)
$(BUILD)/bin/wardwatch-dashboard: $(BUILD)/obj/dashboard/main.o $(call libs_for,dashboard)
$(BUILD)/bin/wardwatch-probe: $(BUILD)/obj/probes/main.o $(call libs_for,probes)
$(BUILD)/bin/wardwatch: $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard appliance/*.c)) \
                       $(call libs_for,appliance)
$(PROGS):
	$(call msg,LD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(LDLIBS)

$(BUILD)/bin/ww-agentsim: $(BUILD)/obj/bench/agentsim.o $(call libs_for,common)
$(BUILD)/bin/ww-gapbench: $(BUILD)/obj/bench/gapbench.o $(call libs_for,inventory)
$(BENCH_PROGS):
	$(call msg,LD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# tests/unit/<module>/test_x.c links <module>'s libraries
.SECONDEXPANSION:
$(BUILD)/tests/unit/%: $(BUILD)/obj/tests/unit/%.o $$(call libs_for,$$(firstword $$(subst /, ,$$*)))
	$(call msg,LD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(filter %.a,$^) $(LDLIBS) -lcmocka

# a fuzz target links every module's library (the linker takes what it uses) and libFuzzer
$(BUILD)/fuzz/fuzz_%: $(BUILD)/obj/tests/fuzz/$$*/fuzz_$$*.o $(call libs_for,appliance)
	$(call msg,LD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(filter %.a,$^) $(LDLIBS)

deps:
	@appliance/install-deps.sh --browser

run: deps
	@$(MAKE) --no-print-directory all
	@appliance/demo.sh

test: deps
	@$(MAKE) --no-print-directory all
	@tests/run.sh $(BUILD)

test-only: all
	@tests/run.sh $(BUILD)

check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 test-only

# the long kill -9 battery (2,000 rounds, ~12 min): outside CI; FAULT_SEED=N repeats a run
check-faults-long: all
	@FAULT_ROUNDS=$${FAULT_ROUNDS:-2000} WW_ONLY=test_faults tests/run.sh $(BUILD)

fuzz-bins: $(FUZZ_BINS)

# make fuzz FUZZ_SECONDS=60 FUZZ_TARGETS="ber csv"
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz FUZZ=1 fuzz-bins
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh build-fuzz $(FUZZ_TARGETS)

check-fuzz-long: fuzz

bench: deps
	@appliance/install-deps.sh --bench
	@$(MAKE) --no-print-directory all
	@bench/run.sh $(BUILD)

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJS:.o=.d)
