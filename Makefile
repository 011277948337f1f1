# pg_actions: PGXS build of the extension, plus `make demo`, `make test` and `make bench`.

EXTENSION = pg_actions
MODULE_big = pg_actions
# The version is written once, in the control file; the library is built for it and refuses to run
# against an installed schema of another version.
EXTVERSION = $(shell sed -nE "s/^default_version = '(.*)'/\1/p" $(EXTENSION).control)

CORE_SRCS = $(sort $(wildcard src/core/*.cpp))
GLUE_SRCS = $(sort $(wildcard src/pg/*/*.cpp))
OBJS = $(CORE_SRCS:.cpp=.o) $(GLUE_SRCS:.cpp=.o)
# PGXS keeps one dependency file per source's base name (.deps/NAME.Po): two sources of one name in
# two folders would share it, and a changed header would not rebuild one of them.
SAME_NAMES = $(shell printf '%s\n' $(notdir $(CORE_SRCS) $(GLUE_SRCS)) | sort | uniq -d)
ifneq ($(SAME_NAMES),)
$(error two sources share a file name (PGXS's dependency files are per name): $(SAME_NAMES))
endif

# The current version's install script is built from src/sql; earlier versions' install scripts
# and every upgrade script are kept, frozen, in src/sql/upgrade.
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(sort $(wildcard src/sql/upgrade/*.sql))
SQL_PARTS = $(sort $(wildcard src/sql/*.sql))

REGRESS = $(basename $(notdir $(sort $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --load-extension=pg_actions

# The PostgreSQL to build against: PG_CONFIG=/path/to/pg_config (default: the system's 15 on
# Debian 12, as in test/pg_env.sh).
PG_CONFIG ?= $(shell test -x /usr/lib/postgresql/15/bin/pg_config && echo /usr/lib/postgresql/15/bin/pg_config || command -v pg_config)
# Our code is C++20 with every warning an error; PostgreSQL's headers are system headers to us.
PG_CXXFLAGS = -std=c++20 -Wall -Wextra -Werror -Wno-register -Wno-missing-field-initializers
PG_CPPFLAGS = -Isrc -DPG_ACTIONS_VERSION='"$(EXTVERSION)"' -isystem $(shell $(PG_CONFIG) --includedir-server 2>/dev/null) \
	-isystem $(shell $(PG_CONFIG) --includedir 2>/dev/null)
# libpq: schedule_maintenance() reaches pg_cron when it lives in another database (src/pg/api/maintenance.cpp).
# libical: schedules' recurrence rules (src/core/recurrence.cpp).
SHLIB_LINK = -lstdc++ -lcrypto -lpq -lical
# No LLVM bitcode for C++ sources: the JIT gains nothing from our SPI-bound code.
override with_llvm = no
# Rebuild an object when a header it includes changes.
override autodepend = yes

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
# A PostgreSQL built by a newer gcc passes -fexcess-precision=standard, which g++ 12 rejects for C++.
override CXXFLAGS := $(filter-out -fexcess-precision=standard,$(CXXFLAGS))
# Objects built against another major version's headers are removed, so they are built again.
PG_MAJOR := $(shell $(PG_CONFIG) --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
ifneq ($(shell cat build/pg-major 2>/dev/null),$(PG_MAJOR))
$(shell rm -f $(OBJS) $(MODULE_big).so; mkdir -p build; echo $(PG_MAJOR) > build/pg-major)
endif
endif

$(DATA_built): $(SQL_PARTS)
	cat $^ > $@

# The library is built for the control file's version (PG_ACTIONS_VERSION): a new version rebuilds it.
src/pg/boundary/module.o: $(EXTENSION).control

# --- the set-up commands of the README -------------------------------------------------------

.PHONY: deps core core-test demo demo-citus test test-citus soak bench stop example-python example-node dist

deps:
	@bash test/deps.sh

core: deps
	cmake -S . -B build/core -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build/core -j2

demo: deps
	@bash test/demo.sh

test: deps
	@bash test/run_all.sh

# A coordinator and two workers with Citus (ports CITUS_PORT, +1, +2; default 55480): the Citus
# suites (test/citus/run.sh), and the demo loaded through the coordinator (test/citus/demo.sh).
test-citus: deps
	@bash test/citus/run.sh

demo-citus: deps
	@bash test/citus/demo.sh

# The application examples (docs/examples), against the cluster `make demo` started.
example-python: deps
	@bash test/examples.sh python

example-node: deps
	@bash test/examples.sh node

# Crashes, load and fuzzing at soak scale (not in CI): test/soak.sh.
soak: deps
	@bash test/soak.sh

bench: deps
	@bash bench/run.sh

# The release archive for PGXN: pg_actions-<META.json's version>.zip (test/dist.sh).
dist:
	@bash test/dist.sh

stop:
	@bash test/cluster.sh stop demo; bash test/cluster.sh stop test; bash test/cluster.sh stop bench; bash test/citus/cluster.sh stop
