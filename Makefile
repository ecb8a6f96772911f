# lockin: build, test, benchmark.  `make run` and `make test` install the
# Debian packages they need when they are missing (apt-get, with sudo when
# not root); elsewhere they print what is missing.
#
#   make            build ./lockin
#   make run        build and run the main job
#   make test       build and run the cmocka tests
#   make bench      build and run the benchmarks (prints figures)
#   make crosscheck lockin against bench/spec.py, the default scenario in NumPy
#   make SANITIZE=1 test   the same under ASan + UBSan (objects in build-san/)
#   make install PREFIX=/usr/local

CC      ?= cc
PREFIX  ?= /usr/local
SANITIZE ?= 0
PKGS    := gsl libconfig cmocka
DEB_PKGS := libgsl-dev libconfig-dev libcmocka-dev librandom123-dev pkg-config

WARN    := -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Werror
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -fopenmp $(WARN) -Iinclude
# Deferred (=): evaluated after `deps` has had a chance to install them.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs gsl libconfig 2>/dev/null)
TEST_LIBS  = $(shell pkg-config --libs cmocka 2>/dev/null)
LDLIBS   = $(PKG_LIBS) -lm

ifeq ($(SANITIZE),1)
BUILD   := build-san
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BIN     := $(BUILD)/lockin
else ifeq ($(MPI),1)
# Open MPI (Debian libopenmpi-dev, openmpi-bin): mpirun -np P ./lockin-mpi sweep FILE
BUILD   := build-mpi
CC      := mpicc
CFLAGS  += -DLOCKIN_MPI
BIN     := lockin-mpi
DEB_PKGS += libopenmpi-dev openmpi-bin
else
BUILD   := build
BIN     := lockin
endif

LIB_SRC := $(filter-out sim/main.c,$(wildcard sim/*.c))
LIB_OBJ := $(LIB_SRC:sim/%.c=$(BUILD)/%.o)
TESTS   := $(patsubst tests/%.c,$(BUILD)/%,$(wildcard tests/test_*.c))
LIB     := $(BUILD)/liblockin.a

.PHONY: all run test bench clean install deps plots plots-check sweeps study need-gnuplot memcheck mutants crosscheck
all: $(BIN)

# --------------------------------------------------------------- packages
deps: $(BUILD)/.deps
$(BUILD)/.deps:
	@mkdir -p $(BUILD)
	@missing=""; \
	for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	[ -f /usr/include/Random123/philox.h ] || missing="$$missing Random123"; \
	[ "$(MPI)" != 1 ] || command -v mpicc >/dev/null 2>&1 || missing="$$missing mpicc"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    echo "lockin: installing missing Debian packages (missing:$$missing): $(DEB_PKGS)"; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PKGS) >/dev/null || exit 1; \
	  else \
	    echo "lockin: missing:$$missing. Install GSL, libconfig, cmocka, Random123 and pkg-config" \
	         "(Debian: $(DEB_PKGS))." >&2; exit 1; \
	  fi; \
	fi; touch $@

# ------------------------------------------------------------------ build
$(BUILD)/%.o: sim/%.c | $(BUILD)/.deps
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/test_%: tests/test_%.c tests/testutil.h $(LIB)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests $(LDFLAGS) $< $(LIB) $(LDLIBS) $(TEST_LIBS) -o $@

$(BUILD)/bench: tests/bench.c $(LIB)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) $< $(LIB) $(LDLIBS) $(TEST_LIBS) -o $@

# ------------------------------------------------------------------- jobs
run: $(BIN)
	./$(BIN) compare scenarios/accept.cfg scenarios/decline.cfg

test: $(TESTS) $(BIN)
	@fail=0; for t in $(TESTS); do \
	  echo "== $$t"; LOCKIN_CHECK=1 LOCKIN_BIN=./$(BIN) ./$$t || fail=1; \
	done; \
	if [ $$fail = 0 ]; then echo "all test programs passed"; else echo "some tests FAILED"; exit 1; fi

# The tests under valgrind memcheck, the largest shrunk (LOCKIN_QUICK): no
# invalid access and no definite leak, or the target fails.
VALGRIND := valgrind --quiet --error-exitcode=1 --leak-check=full --show-possibly-lost=no \
            --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp
memcheck: $(TESTS) $(BIN)
	@command -v valgrind >/dev/null 2>&1 || { SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  echo "lockin: installing valgrind"; $$SUDO apt-get update -qq; \
	  $$SUDO apt-get install -y -qq valgrind >/dev/null; }
	@fail=0; for t in $(TESTS); do \
	  echo "== valgrind $$t"; \
	  LOCKIN_QUICK=1 LOCKIN_BIN=./$(BIN) $(VALGRIND) ./$$t || fail=1; \
	done; \
	if [ $$fail = 0 ]; then echo "memcheck: no errors"; else echo "memcheck FAILED"; exit 1; fi

bench: $(BUILD)/bench $(BUILD)/floor $(BIN)
	./$(BUILD)/bench

# lockin and bench/spec.py (the default scenario written out again in
# NumPy, with its own random numbers) on the same runs: 40 replications of
# 100,000 developers, the investment declined and the vendor's hub certain,
# then accepted and the competitors' hub certain; prints how far apart
# their means are, metric by metric and step by step.  About a minute.
CROSS_DIR := /tmp/lockin-crosscheck
crosscheck: $(BIN)
	@/usr/bin/python3 -c "import numpy" 2>/dev/null || { SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  echo "lockin: installing python3-numpy"; $$SUDO apt-get update -qq; \
	  $$SUDO apt-get install -y -qq python3-numpy >/dev/null; }
	rm -rf $(CROSS_DIR)
	./$(BIN) run -r 40 --quiet --set population.developers=100000 \
	  --set 'events.[0].responses.[0].probability=1' -o $(CROSS_DIR)/decline
	/usr/bin/python3 bench/spec.py 100000 40 $(CROSS_DIR)/numpy \
	  --compare $(CROSS_DIR)/decline/default/summary.csv --all
	./$(BIN) run -r 40 --quiet --set population.developers=100000 \
	  --set 'events.[0].decision="accept"' --set 'events.[0].responses.[1].probability=1' \
	  -o $(CROSS_DIR)/accept
	/usr/bin/python3 bench/spec.py 100000 40 $(CROSS_DIR)/numpy --accept \
	  --compare $(CROSS_DIR)/accept/default/summary.csv --all
	rm -rf $(CROSS_DIR)

# The floor of a step (bench/floor.c, not part of the product): the
# fastest way we know on this machine, so -O3, fast math for vectorised
# exps (glibc's libmvec) and the machine's own instructions.
$(BUILD)/floor: bench/floor.c | $(BUILD)/.deps
	$(CC) -O3 -ffast-math -fopenmp-simd -march=native -std=c11 -D_GNU_SOURCE -Wall -Wextra $< -lm -o $@

# Figures of the two headline scenarios (needs gnuplot; Debian gnuplot-nox).
PLOT_A   := accept
PLOT_B   := decline
PLOT_DIR := results/plots
need-gnuplot:
	@command -v gnuplot >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    echo "lockin: installing gnuplot-nox"; \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq gnuplot-nox >/dev/null || exit 1; \
	  else echo "lockin: plotting needs gnuplot" >&2; exit 1; fi; }

plots: $(BIN) need-gnuplot
	./$(BIN) run scenarios/$(PLOT_A).cfg --quiet
	./$(BIN) run scenarios/$(PLOT_B).cfg --quiet --timeseries
	@mkdir -p $(PLOT_DIR)
	@args="a='results/$(PLOT_A)/summary.csv'; b='results/$(PLOT_B)/summary.csv'; la='$(PLOT_A)'; lb='$(PLOT_B)'"; \
	gnuplot -e "$$args; metric='hub_share.hf'; ylab='share of developers'; out='$(PLOT_DIR)/hub_share.png'" plots/series.gp && \
	gnuplot -e "$$args; metric='vendor_hhi'; ylab='HHI of vendor shares'; hline=1800; hlab='1,800: highly concentrated (2023 US merger guidelines)'; out='$(PLOT_DIR)/vendor_hhi.png'" plots/series.gp && \
	gnuplot -e "$$args; metric='vendor_d1'; ylab='effective number of vendors, exp(entropy)'; out='$(PLOT_DIR)/vendor_d1.png'" plots/series.gp && \
	gnuplot -e "dir='results/$(PLOT_B)'; metric='hub_share.hf'; hub='nvidia_hub'; ylab='share of developers'; out='$(PLOT_DIR)/branches.png'" plots/branches.gp && \
	echo "figures in $(PLOT_DIR)/: hub_share.png vendor_hhi.png vendor_d1.png branches.png"

# Every script in plots/ on small outputs: no gnuplot error or warning, a PNG
# written (CI).
plots-check: $(BIN) need-gnuplot
	bash tests/plots_check.sh

# The two example sweeps and their figures (needs gnuplot, as plots).
sweeps: $(BIN) need-gnuplot
	./$(BIN) sweep scenarios/amount_vs_multihoming.cfg
	./$(BIN) sweep scenarios/uncertainty_lhs.cfg --timeseries
	@mkdir -p $(PLOT_DIR)
	gnuplot -e "in='results/amount_vs_multihoming/sweep_summary.csv'; out='$(PLOT_DIR)/heatmap.png'" plots/heatmap.gp
	gnuplot -e "in='results/uncertainty_lhs/sweep_summary.csv'; policy='decline'; out='$(PLOT_DIR)/lhs.png'" plots/lhs_scatter.gp
	gnuplot -e "in='results/uncertainty_lhs/sweep_timeseries.csv'; metric='hub_share.hf'; pa='accept'; pb='decline'; ylab='share of developers'; out='$(PLOT_DIR)/envelopes.png'" plots/envelopes.gp
	@echo "figures in $(PLOT_DIR)/: heatmap.png lhs.png envelopes.png"

# The shipped study (scenarios/neutrality_bet.cfg): accept and decline over
# eleven uncertain assumptions in a Saltelli design at 20,000 organisations
# (a few minutes on 2 cores), its analysis and figures.
STUDY     := neutrality_bet
STUDY_DIR := results/$(STUDY)
STUDY_WHERE := owners_value.hf@decline-accept > 0
study: $(BIN) need-gnuplot
	./$(BIN) sweep scenarios/$(STUDY).cfg --set population.developers=20000 --quiet
	./$(BIN) analyze $(STUDY_DIR) --metric hub_share.hf@decline-accept \
	  --metric vendor_d1@decline-accept --metric owners_value.hf@decline-accept \
	  --discover "$(STUDY_WHERE)"
	@mkdir -p $(PLOT_DIR)
	@for m in hub_share.hf vendor_d1 owners_value.hf; do \
	  gnuplot -e "in='$(STUDY_DIR)/analysis/sobol.csv'; metric='$$m@decline-accept'; out='$(PLOT_DIR)/sobol_$$m.png'" plots/sobol.gp || exit 1; \
	done
	gnuplot -e "in='$(STUDY_DIR)/analysis/prim.csv'; cond='$(STUDY_WHERE)'; out='$(PLOT_DIR)/prim.png'" plots/prim.gp
	@echo "figures in $(PLOT_DIR)/: sobol_hub_share.hf.png sobol_vendor_d1.png sobol_owners_value.hf.png prim.png"

# Mutation testing: every mutant of tests/mutants/list.txt must make a test
# program fail (tens of minutes; CI does not run it).
mutants: $(BIN)
	bash tests/mutants/run.sh

install: $(BIN)
	install -D -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/lockin

clean:
	rm -rf build build-san build-mpi build-fuzz lockin lockin-mpi

-include $(LIB_OBJ:.o=.d) $(BUILD)/main.d

# ---------------------------------------------------------------- fuzzing
# make fuzz FUZZ_SECONDS=600: libFuzzer (clang, Debian libclang-rt-14-dev)
# over three targets, each for FUZZ_SECONDS: the scenario loader and --set
# (corpus tests/fuzz/corpus), sweep files (tests/fuzz/corpus_sweep) and
# merge's shard files (tests/fuzz/corpus_merge); new inputs go to
# build-fuzz/corpus*, crashes to tests/fuzz/artifacts/.
# make fuzz-replay: run every corpus file once under ASan + UBSan (CI).
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -std=c11 -D_GNU_SOURCE -O1 -g -Iinclude -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined -fopenmp
FUZZ_SRC     := $(filter-out sim/main.c sim/cli.c sim/commands.c sim/sweep_run.c,$(wildcard sim/*.c))
.PHONY: fuzz fuzz-replay
FUZZ_BINS    := build-fuzz/fuzz_scenario build-fuzz/fuzz_sweep build-fuzz/fuzz_merge
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC) $(wildcard include/*.h) | $(BUILD)/.deps
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || { SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  echo "lockin: installing clang and libclang-rt-14-dev"; $$SUDO apt-get update -qq; \
	  $$SUDO apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
	@mkdir -p build-fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(filter %.c,$^) $(PKG_LIBS) -lm -o $@
FUZZ_RUN     := LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp
fuzz: $(FUZZ_BINS)
	@mkdir -p build-fuzz/corpus build-fuzz/corpus_sweep build-fuzz/corpus_merge tests/fuzz/artifacts
	$(FUZZ_RUN) ./build-fuzz/fuzz_scenario -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	  -artifact_prefix=tests/fuzz/artifacts/ build-fuzz/corpus tests/fuzz/corpus
	$(FUZZ_RUN) ./build-fuzz/fuzz_sweep -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -artifact_prefix=tests/fuzz/artifacts/sweep- build-fuzz/corpus_sweep tests/fuzz/corpus_sweep
	$(FUZZ_RUN) ./build-fuzz/fuzz_merge -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	  -close_fd_mask=2 -artifact_prefix=tests/fuzz/artifacts/merge- build-fuzz/corpus_merge \
	  tests/fuzz/corpus_merge
fuzz-replay: $(FUZZ_BINS)
	$(FUZZ_RUN) ./build-fuzz/fuzz_scenario -runs=0 tests/fuzz/corpus tests/fuzz/regressions
	$(FUZZ_RUN) ./build-fuzz/fuzz_sweep -runs=0 tests/fuzz/corpus_sweep tests/fuzz/regressions_sweep
	$(FUZZ_RUN) ./build-fuzz/fuzz_merge -runs=0 -close_fd_mask=2 tests/fuzz/corpus_merge
