/* cli: parses the command line (getopt_long), refuses what a command does
 * not take, and dispatches to the verbs of commands.c. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef LOCKIN_MPI
#include <mpi.h>
#endif

#include "analyze.h"
#include "commands.h"
#include "scenario.h"
#include "signals.h"
#include "sweep.h"

static const char *const opt_names[] = {"-r",       "-s",           "-j",       "-o",
                                        "--set",    "--timeseries", "--quiet",  "--precision",
                                        "--resume", "--shard",      "--metric", "--discover"};

/* What each command takes. */
static const struct {
  const char *cmd;
  unsigned takes;
} command_options[] = {
    {"run", OPT_R | OPT_S | OPT_J | OPT_O | OPT_SET | OPT_TIMESERIES | OPT_QUIET | OPT_PRECISION},
    {"compare",
     OPT_R | OPT_S | OPT_J | OPT_O | OPT_SET | OPT_TIMESERIES | OPT_QUIET | OPT_PRECISION},
    {"sweep",
     OPT_R | OPT_S | OPT_J | OPT_O | OPT_SET | OPT_TIMESERIES | OPT_QUIET | OPT_RESUME | OPT_SHARD},
    {"check", OPT_R | OPT_S | OPT_J | OPT_O | OPT_SET},
    {"merge", OPT_O | OPT_QUIET},
    {"analyze", OPT_METRIC | OPT_DISCOVER | OPT_QUIET},
    {"keys", 0},
};

/* 0, or -1 with a message naming the first option cmd does not take. */
static int refuse_options(const char *cmd, unsigned given)
{
  for (size_t c = 0; c < sizeof command_options / sizeof command_options[0]; c++) {
    if (strcmp(command_options[c].cmd, cmd))
      continue;
    unsigned extra = given & ~command_options[c].takes;
    for (size_t b = 0; extra && b < sizeof opt_names / sizeof opt_names[0]; b++)
      if (extra >> b & 1u) {
        fprintf(stderr, "lockin: %s does not take %s\n", cmd, opt_names[b]);
        return -1;
      }
  }
  return 0;
}

static void usage(FILE *f)
{
  fputs("usage: lockin run [SCENARIO] [options]    run R replications of a scenario\n"
        "       lockin compare A B [options]       A and B on common random numbers\n"
        "       lockin sweep SWEEP [options]       a batch over a parameter design\n"
        "         [--resume] [--shard K/N]         (go on after a crash; run a part)\n"
        "       lockin merge DIR... [-o DIR]       join the shards' outputs\n"
        "       lockin analyze DIR [--metric EXPR]... [--discover \"EXPR OP VALUE\"]\n"
        "                                          Sobol, Morris, PRCC and PRIM over a sweep\n"
        "       lockin check SCENARIO|SWEEP        validate, print the resolved run plan\n"
        "       lockin keys                        every scenario key, as a Markdown table\n"
        "options: -r N (replications)  -s SEED  -j THREADS  -o DIR (default results)\n"
        "         --set PATH=VALUE (repeatable)  --timeseries  --quiet\n"
        "         --precision METRIC=HALFWIDTH (add replications up to -r until the final\n"
        "           step's 95% half-width of METRIC, or of B - A in compare, is below it)\n"
        "Without SCENARIO, run uses the built-in default scenario.\n",
        f);
}

static const char help_hint[] = "(`lockin help` lists the commands and options)\n";

#define MAX_THREADS 1024 /* more is a typo, not a machine */

static int parse_long(const char *opt, const char *v, long lo, long *out)
{
  char *end;
  errno = 0;
  long x = v ? strtol(v, &end, 10) : 0;
  if (!v || errno || *end || end == v || x < lo) {
    fprintf(stderr, "lockin: %s: expects a whole number >= %ld (got \"%s\")\n", opt, lo,
            v ? v : "");
    return -1;
  }
  *out = x;
  return 0;
}

/* A seed: any whole number in [0, 2^64 - 1], in decimal. */
static int parse_seed(const char *v, uint64_t *out)
{
  char *end;
  errno = 0;
  unsigned long long x = v && isdigit((unsigned char)*v) ? strtoull(v, &end, 10) : 0;
  if (!v || !isdigit((unsigned char)*v) || errno || *end) {
    fprintf(stderr,
            "lockin: -s: expects a whole number in [0, 18446744073709551615] (got \"%s\")\n",
            v ? v : "");
    return -1;
  }
  *out = x;
  return 0;
}

static int parse_precision(const char *v, options *o)
{
  const char *eq = v ? strrchr(v, '=') : NULL;
  char *end;
  double h = eq ? strtod(eq + 1, &end) : 0;
  if (!eq || eq == v || !*(eq + 1) || *end || !(h > 0) || !isfinite(h)) {
    fprintf(stderr,
            "lockin: --precision: expects METRIC=HALFWIDTH with HALFWIDTH > 0 "
            "(got \"%s\")\n",
            v ? v : "");
    return -1;
  }
  snprintf(o->metric_buf, sizeof o->metric_buf, "%.*s", (int)(eq - v), v);
  o->precision_metric = o->metric_buf;
  o->precision = h;
  return 0;
}

/* getopt_long's table; the short options -r -s -j -o -h are typed. */
enum {
  LONG_SET = 256,
  LONG_PRECISION,
  LONG_METRIC,
  LONG_DISCOVER,
  LONG_RESUME,
  LONG_SHARD,
  LONG_TIMESERIES,
  LONG_QUIET,
  LONG_VERSION
};
static const struct option long_options[] = {{"set", required_argument, NULL, LONG_SET},
                                             {"precision", required_argument, NULL, LONG_PRECISION},
                                             {"metric", required_argument, NULL, LONG_METRIC},
                                             {"discover", required_argument, NULL, LONG_DISCOVER},
                                             {"resume", no_argument, NULL, LONG_RESUME},
                                             {"shard", required_argument, NULL, LONG_SHARD},
                                             {"timeseries", no_argument, NULL, LONG_TIMESERIES},
                                             {"quiet", no_argument, NULL, LONG_QUIET},
                                             {"version", no_argument, NULL, LONG_VERSION},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};

static int parse_shard(const char *v, options *o)
{
  char *end;
  unsigned long k = strtoul(v, &end, 10), n = 0;
  if (*end == '/')
    n = strtoul(end + 1, &end, 10);
  if (*end || k < 1 || n < 1 || k > n || v[0] == '-') {
    fprintf(stderr, "lockin: --shard: expects K/N with 1 <= K <= N (got \"%s\")\n", v);
    return -1;
  }
  o->shard_k = k;
  o->shard_n = n;
  return 0;
}

static int parse_options(int argc, char **argv, options *o)
{
  memset(o, 0, sizeof *o);
  o->outdir = "results";
  o->shard_k = o->shard_n = 1;
  optind = 1; /* cli_main may run more than once in a process (tests) */
  opterr = 0;
  int c;
  /* "-": positional arguments come back in order as option 1; ":": a
   * missing value is told apart from an unknown option */
  while ((c = getopt_long(argc, argv, "-:r:s:j:o:h", long_options, NULL)) != -1) {
    const char *v = optarg;
    switch (c) {
    case 1: /* a positional argument: the command, then files */
      if (!o->cmd) {
        o->cmd = v;
      } else if (o->n_files < MAX_FILES) {
        o->file[o->n_files++] = v;
      } else {
        fprintf(stderr, "lockin: unexpected argument %s\n", v);
        return -1;
      }
      break;
    case 'r':
      if (parse_long("-r", v, 1, &o->max_r))
        return -1;
      o->given |= OPT_R;
      break;
    case 's':
      if (parse_seed(v, &o->seed))
        return -1;
      o->given |= OPT_S;
      break;
    case 'j':
      if (parse_long("-j", v, 1, &o->threads))
        return -1;
      if (o->threads > MAX_THREADS) {
        fprintf(stderr, "lockin: -j: at most %d threads (got %ld)\n", MAX_THREADS, o->threads);
        return -1;
      }
      o->given |= OPT_J;
      break;
    case 'o':
      if (!*v) {
        fprintf(stderr, "lockin: -o: expects a folder\n");
        return -1;
      }
      o->outdir = v;
      o->outdir_given = 1;
      o->given |= OPT_O;
      break;
    case 'h':
      o->cmd = "help";
      break;
    case LONG_VERSION:
      o->cmd = "version";
      break;
    case LONG_RESUME:
      o->resume = 1;
      o->given |= OPT_RESUME;
      break;
    case LONG_SHARD:
      if (parse_shard(v, o))
        return -1;
      o->given |= OPT_SHARD;
      break;
    case LONG_SET:
      if (o->n_sets >= MAX_SETS) {
        fprintf(stderr, "lockin: --set: at most %d\n", MAX_SETS);
        return -1;
      }
      o->sets[o->n_sets++] = v;
      o->given |= OPT_SET;
      break;
    case LONG_PRECISION:
      o->given |= OPT_PRECISION;
      if (parse_precision(v, o))
        return -1;
      break;
    case LONG_METRIC:
      if (o->n_metrics >= ANALYZE_MAX_METRICS) {
        fprintf(stderr, "lockin: --metric: at most %d\n", ANALYZE_MAX_METRICS);
        return -1;
      }
      o->metric[o->n_metrics++] = v;
      o->given |= OPT_METRIC;
      break;
    case LONG_DISCOVER:
      o->discover = v;
      o->given |= OPT_DISCOVER;
      break;
    case LONG_TIMESERIES:
      o->timeseries = 1;
      o->given |= OPT_TIMESERIES;
      break;
    case LONG_QUIET:
      o->quiet = 1;
      o->given |= OPT_QUIET;
      break;
    case ':':
      fprintf(stderr, "lockin: %s: expects a value\n", argv[optind - 1]);
      return -1;
    default:
      fprintf(stderr, "lockin: unknown option %s\n", argv[optind - 1]);
      return -1;
    }
  }
  return 0;
}

int cli_main(int argc, char **argv)
{
  commands_init();
  options *o = malloc(sizeof *o);
  if (!o)
    return EXIT_FAIL;
  int rc;
  if (parse_options(argc, argv, o) != 0) {
    /* The message names the option; the whole usage would bury it. */
    fputs(help_hint, stderr);
    rc = EXIT_USAGE;
  } else if (o->cmd && refuse_options(o->cmd, o->given) != 0) {
    rc = EXIT_USAGE;
  } else if (!o->cmd || !strcmp(o->cmd, "help")) {
    usage(o->cmd ? stdout : stderr);
    rc = o->cmd ? 0 : EXIT_USAGE;
  } else if (!strcmp(o->cmd, "version")) {
    printf("lockin %s\n", LOCKIN_VERSION);
    rc = 0;
  } else if (!strcmp(o->cmd, "run")) {
    rc = o->n_files > 1 ? (fprintf(stderr, "lockin: run takes one scenario\n"), EXIT_USAGE)
                        : command_run(o);
  } else if (!strcmp(o->cmd, "compare")) {
    rc = command_compare(o);
  } else if (!strcmp(o->cmd, "check")) {
    rc = command_check(o);
  } else if (!strcmp(o->cmd, "sweep")) {
#ifdef LOCKIN_MPI
    MPI_Init(&argc, &argv);
#endif
    rc = command_sweep(o, 0);
#ifdef LOCKIN_MPI
    MPI_Finalize();
#endif
  } else if (!strcmp(o->cmd, "merge")) {
    rc = sweep_merge(o->file, o->n_files, o->outdir_given ? o->outdir : NULL, o->quiet);
  } else if (!strcmp(o->cmd, "analyze")) {
    if (o->n_files != 1) {
      fprintf(stderr, "lockin: analyze takes one sweep folder\n");
      rc = EXIT_USAGE;
    } else {
      analyze_options ao = {o->file[0], {0}, o->n_metrics, o->discover, o->quiet};
      memcpy(ao.metric, o->metric, sizeof ao.metric);
      rc = analyze_run(&ao);
    }
  } else if (!strcmp(o->cmd, "keys")) {
    scenario_print_keys(stdout);
    rc = 0;
  } else {
    fprintf(stderr, "lockin: unknown command \"%s\"\n", o->cmd);
    fputs(help_hint, stderr);
    rc = EXIT_USAGE;
  }
  /* A failure a signal caused (a read it interrupted, a load it cut
   * short) is the signal's: 128 + it, as for a run it stopped. */
  int sig = signals_caught();
  if (sig && rc != 0 && rc < 128) {
    fprintf(stderr, "lockin: stopped by signal %d; nothing written\n", sig);
    rc = 128 + sig;
  }
  free(o);
  return rc;
}

void cli_wait_passively(char **argv)
{
  const char *preload = getenv("LD_PRELOAD");
  if (getenv("OMP_WAIT_POLICY") || (preload && strstr(preload, "vgpreload")))
    return; /* the user's policy; or under valgrind, which would not follow the exec */
  /* The binary's own path, not /proc/self/exe, so that the process keeps
   * its name (ps, top, pkill lockin). */
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0 || n >= (ssize_t)sizeof self - 1)
    return;
  self[n] = '\0';
  setenv("OMP_WAIT_POLICY", "passive", 1);
  execv(self, argv); /* returns only if it failed: go on as we are */
  unsetenv("OMP_WAIT_POLICY");
}
