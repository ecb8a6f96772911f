/* sweep: designs against hand-computed points, checks of sweep files and of
 * every point, common random numbers across points, crash and resume,
 * shards and merge. */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "sweep.h"
#include "sweep_table.h"

static int setup(void **state)
{
  (void)state;
  if (tmp_make("sweep") != 0)
    return -1;
  /* A small market: every run takes milliseconds. */
  char path[300];
  return tmp_write(path, sizeof path, "small.cfg",
                   "steps = 24;\npopulation: { developers = 3000; };\n");
}

static const char *write_sweep(const char *name, const char *body)
{
  static char path[300];
  assert_int_equal(tmp_write(path, sizeof path, name, body), 0);
  return path;
}

static void same_file(const char *a, const char *b)
{
  char *x = slurp(a), *y = slurp(b);
  assert_non_null(x);
  assert_non_null(y);
  assert_string_equal(x, y);
  free(x);
  free(y);
}

/* ---------------------------------------------------------------- designs */

static void test_grid_order_and_levels(void **state)
{
  (void)state;
  const char *file = write_sweep(
      "grid.cfg", "sweep: { design = \"grid\"; levels = 3; parameters = (\n"
                  "  { path = \"network.type\"; values = [\"mean_field\", \"small_world\"]; },\n"
                  "  { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; },\n"
                  "  { path = \"vendors.[1].growth\"; min = 0.01; max = 1.0; log = true; }\n"
                  "); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  assert_int_equal(w.n_points, 2 * 3 * 3);
  /* The last parameter varies fastest. */
  static const char *const expect[6][3] = {
      {"mean_field", "0.0", "0.01"}, {"mean_field", "0.0", "0.1"}, {"mean_field", "0.0", "1.0"},
      {"mean_field", "0.5", "0.01"}, {"mean_field", "0.5", "0.1"}, {"mean_field", "0.5", "1.0"}};
  for (size_t p = 0; p < 6; p++)
    for (size_t i = 0; i < 3; i++) {
      if (i == 2 && p % 3 == 1) /* exp(log 0.01 + (log 1 - log 0.01) / 2) */
        assert_close(strtod(w.cell[p * 3 + i], NULL), 0.1, 1e-15);
      else
        assert_string_equal(w.cell[p * 3 + i], expect[p][i]);
    }
  assert_string_equal(w.cell[9 * 3 + 0], "small_world");
  assert_string_equal(w.lit[9 * 3 + 0], "\"small_world\"");
  assert_string_equal(w.cell[17 * 3 + 1], "1.0"); /* ends exactly */
  sweep_free(&w);
}

static void test_lhs_strata(void **state)
{
  (void)state;
  const char *file =
      write_sweep("lhs.cfg", "sweep: { design = \"lhs\"; points = 20; seed = 3;\n"
                             "  parameters = (\n"
                             "  { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; },\n"
                             "  { path = \"dynamics.trust_speed\"; min = 0.0; max = 1.0; },\n"
                             "  { path = \"utility.maturity\"; min = 0.0; max = 10.0; }\n"
                             "); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  assert_int_equal(w.n_points, 20);
  /* Each parameter: one point in each of the 20 equal strata. */
  for (size_t i = 0; i < 3; i++) {
    int seen[20] = {0};
    double width = i == 2 ? 10.0 : 1.0;
    for (size_t p = 0; p < 20; p++) {
      int s = (int)floor(strtod(w.cell[p * 3 + i], NULL) / width * 20.0);
      assert_true(s >= 0 && s < 20);
      seen[s]++;
    }
    for (int s = 0; s < 20; s++)
      assert_int_equal(seen[s], 1);
  }
  sweep_free(&w);
}

static void test_sobol_first_points(void **state)
{
  (void)state;
  const char *file =
      write_sweep("sobol.cfg", "sweep: { design = \"sobol\"; points = 4;\n"
                               "  parameters = (\n"
                               "  { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; },\n"
                               "  { path = \"utility.tilt\"; min = 0.0; max = 2.0; }\n"
                               "); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  /* The Sobol sequence in 2 dimensions starts (1/2, 1/2), (3/4, 1/4),
   * (1/4, 3/4), (3/8, 3/8). */
  static const double u[4][2] = {{0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}};
  for (size_t p = 0; p < 4; p++) {
    assert_close(strtod(w.cell[p * 2], NULL), u[p][0], 0);
    assert_close(strtod(w.cell[p * 2 + 1], NULL), 2.0 * u[p][1], 0);
  }
  sweep_free(&w);
}

/* saltelli by hand for k = 2: base sample j is the 4-D Sobol point
 * (a1, a2, b1, b2); the design holds A = (a1, a2), B = (b1, b2),
 * AB1 = (b1, a2), AB2 = (a1, b2).  GSL's 4-D Sobol sequence starts
 * (1/2, 1/2, 1/2, 1/2), (3/4, 1/4, 3/4, 1/4). */
static void test_saltelli_layout(void **state)
{
  (void)state;
  const char *file =
      write_sweep("salt.cfg", "sweep: { design = \"saltelli\"; points = 2;\n"
                              "  parameters = (\n"
                              "  { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; },\n"
                              "  { path = \"utility.tilt\"; min = 0.0; max = 2.0; }\n"
                              "); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  assert_int_equal(w.n_points, 2 * (2 + 2));
  static const double ab[2][4] = {{0.5, 0.5, 0.5, 0.5}, {0.75, 0.25, 0.75, 0.25}};
  for (size_t j = 0; j < 2; j++) {
    const double *x = ab[j];
    double want[4][2] = {{x[0], x[1]}, {x[2], x[3]}, {x[2], x[1]}, {x[0], x[3]}};
    for (size_t m = 0; m < 4; m++) {
      size_t p = j * 4 + m;
      assert_close(strtod(w.cell[p * 2], NULL), want[m][0], 0);
      assert_close(strtod(w.cell[p * 2 + 1], NULL), 2.0 * want[m][1], 0);
    }
  }
  sweep_free(&w);
  /* Ranges only, at most 20 parameters. */
  file =
      write_sweep("salt2.cfg", "sweep: { design = \"saltelli\"; parameters = (\n"
                               "  { path = \"network.type\"; values = [\"mean_field\"]; } ); };\n");
  assert_int_equal(sweep_load(file, &w, &err), 2);
  char want[400];
  snprintf(want, sizeof want,
           "%s:2: sweep.parameters.[0]: saltelli sweeps ranges only (min and max), not a list "
           "of values",
           file);
  assert_string_equal(err.msg[0], want);
  sweep_free(&w);
}

/* morris: trajectories of k + 1 points on the grid of `levels` levels, each
 * step changing exactly one parameter, each parameter once, by exactly
 * delta = levels / (2 (levels - 1)) of its range, inside the cube. */
static void test_morris_layout(void **state)
{
  (void)state;
  const char *file =
      write_sweep("morris.cfg", "sweep: { design = \"morris\"; points = 30; seed = 5;\n"
                                "  parameters = (\n"
                                "  { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; },\n"
                                "  { path = \"utility.tilt\"; min = 0.0; max = 3.0; },\n"
                                "  { path = \"dynamics.trust_speed\"; min = 0.0; max = 1.0; }\n"
                                "); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  assert_int_equal(w.levels, 4);
  assert_int_equal(w.n_points, 30 * 4);
  const double range[3] = {1.0, 3.0, 1.0}, delta = 4.0 / 6.0;
  size_t up = 0, down = 0;
  for (size_t t = 0; t < 30; t++) {
    int moved[3] = {0, 0, 0};
    for (size_t m = 0; m < 4; m++)
      for (size_t i = 0; i < 3; i++) {
        double u = strtod(w.cell[(t * 4 + m) * 3 + i], NULL) / range[i];
        double level = u * 3; /* on the grid 0, 1/3, 2/3, 1 */
        assert_close(level, nearbyint(level), 1e-12);
        assert_true(u >= 0 && u <= 1);
        if (m == 0)
          continue;
        double prev = strtod(w.cell[(t * 4 + m - 1) * 3 + i], NULL) / range[i];
        if (fabs(u - prev) > 1e-12) {
          assert_close(fabs(u - prev), delta, 1e-12);
          moved[i]++;
          up += u > prev;
          down += u < prev;
        }
      }
    for (size_t i = 0; i < 3; i++)
      assert_int_equal(moved[i], 1);
  }
  assert_int_equal(up + down, 90);
  assert_true(up > 20 && down > 20); /* both directions occur */
  sweep_free(&w);
  file = write_sweep("morris3.cfg", "sweep: { design = \"morris\"; levels = 3; parameters = (\n"
                                    "  { path = \"utility.tilt\"; min = 0.0; max = 1.0; } ); };\n");
  assert_int_equal(sweep_load(file, &w, &err), 2);
  sweep_free(&w);
}

static void test_random_and_whole_numbers(void **state)
{
  (void)state;
  const char *body = "sweep: { design = \"random\"; points = 50; seed = %d; parameters = (\n"
                     "  { path = \"population.developers\"; min = 100; max = 200; },\n"
                     "  { path = \"events.[0].amount\"; min = 100.0; max = 1000.0; log = true; },\n"
                     "  { path = \"events.[0].decision\"; values = [\"accept\", \"decline\"]; }\n"
                     "); };\n";
  char text[600];
  snprintf(text, sizeof text, body, 5);
  sweep a, b;
  scn_errors err;
  assert_int_equal(sweep_load(write_sweep("r5.cfg", text), &a, &err), 0);
  assert_int_equal(sweep_load(write_sweep("r5b.cfg", text), &b, &err), 0);
  int decisions[2] = {0, 0};
  for (size_t p = 0; p < 50; p++) {
    char *end;
    long n = strtol(a.cell[p * 3], &end, 10);
    assert_true(*end == '\0' && n >= 100 && n <= 200); /* a whole number */
    double x = strtod(a.cell[p * 3 + 1], NULL);
    assert_true(x >= 100.0 && x <= 1000.0);
    decisions[!strcmp(a.cell[p * 3 + 2], "decline")]++;
    assert_string_equal(a.cell[p * 3 + 1], b.cell[p * 3 + 1]); /* same seed, same points */
  }
  assert_true(decisions[0] > 0 && decisions[1] > 0);
  snprintf(text, sizeof text, body, 6);
  sweep_free(&b);
  assert_int_equal(sweep_load(write_sweep("r6.cfg", text), &b, &err), 0);
  assert_string_not_equal(a.cell[1], b.cell[1]);
  sweep_free(&a);
  sweep_free(&b);
  /* Whole numbers beyond 32 bits, listed or from a range: the override
   * carries the L libconfig needs, the CSV the number alone. */
  const char *big = "sweep: { design = \"grid\"; levels = 2; parameters = (\n"
                    "  { path = \"value.organisations\"; values = [5000000000L, 7L]; },\n"
                    "  { path = \"population.developers\"; min = 100; max = 200; }\n"
                    "); };\n";
  assert_int_equal(sweep_load(write_sweep("big.cfg", big), &a, &err), 0);
  assert_string_equal(a.lit[0], "5000000000L");
  assert_string_equal(a.cell[0], "5000000000");
  assert_string_equal(a.lit[2 * 2], "7");
  scenario *s = malloc(sizeof *s);
  assert_int_equal(sweep_point_scenario(&a, 0, 0, NULL, s, NULL, &err), 0);
  assert_int_equal(s->organisations, 5000000000L);
  assert_int_equal(sweep_point_scenario(&a, 3, 0, NULL, s, NULL, &err), 0);
  assert_int_equal(s->developers, 200);
  free(s);
  sweep_free(&a);
}

/* ---------------------------------------------------------------- checks */

static void test_bad_sweep_files(void **state)
{
  (void)state;
  static const struct {
    const char *text, *msg;
  } bad[] = {
      {"sweep: { desgin = \"grid\"; parameters = ( { path = \"dynamics.multihoming\"; values = "
       "[1]; } ); };",
       ":1: sweep.desgin: unknown key (did you mean \"design\"?)"},
      {"sweep: { design = \"halton\"; parameters = ( { path = \"dynamics.multihoming\"; values = "
       "[1]; } ); };",
       ":1: sweep.design: must be one of grid, random, lhs, sobol, saltelli, morris (got "
       "\"halton\")"},
      {"sweep: { replications = 0; parameters = ( { path = \"dynamics.multihoming\"; values = [1]; "
       "} ); };",
       ":1: sweep.replications: must be in [1, 10000000] (got 0)"},
      {"sweep: { name = \"x\"; };",
       ":1: sweep.parameters: required: a list ( { path = ...; ... }, ... ) of 1 to 40 parameters"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; min = 0.0; max = "
       "1.0; } ); };",
       ":1: sweep.parameters.[0]: give either values or min and max, not both"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; min = 1.0; } ); };",
       ":1: sweep.parameters.[0]: needs values = [...] or finite numbers min and max"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; log = "
       "true; } ); };",
       ":1: sweep.parameters.[0].min: must be > 0 with log = true"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; min = 2.0; max = 1.0; } ); };",
       ":1: sweep.parameters.[0].max: must be >= min"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; },\n"
       " { path = \"dynamics.multihoming\"; values = [2]; } ); };",
       ":2: sweep.parameters.[1].path: \"dynamics.multihoming\" is swept twice"},
      {"sweep: { parameters = ( { values = [1]; } ); };",
       ":1: sweep.parameters.[0].path: required: a libconfig path of the scenario"},
      {"nothing = 1;", ": sweep: required: a group sweep: { ... }"},
      {"sweep: { seed = -8246744073709551615L; parameters = ( { path = \"dynamics.multihoming\"; "
       "values = [1]; } ); };",
       ":1: sweep.seed: must be in [0, 18446744073709551615] (got -8246744073709551615)"},
      {"sweep = 1;", ":1: sweep: must be a group sweep: { ... }"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } ); policies = ( "
       "); };",
       ":1: sweep.policies: must be a list ( { name = ...; set = [...]; }, ... ) of 1 to 16 "
       "policies"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } ); policies = ( "
       "{ set = []; } "
       "); };",
       ":1: sweep.policies.[0].name: required: a name of a-z, 0-9 and _, at most 31 characters"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } ); policies = ( "
       "{ name = \"A "
       "b\"; set = []; } ); };",
       ":1: sweep.policies.[0].name: required: a name of a-z, 0-9 and _, at most 31 characters"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } ); policies = ( "
       "{ name = \"a\"; "
       "} ); };",
       ":1: sweep.policies.[0].set: required: a list [\"PATH=VALUE\", ...]"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } ); policies = ( "
       "{ name = \"a\"; "
       "set = [\"decline\"]; } ); };",
       ":1: sweep.policies.[0].set.[0]: must be a string \"PATH=VALUE\" of at most 255 characters"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } ); policies = ( "
       "{ name = \"a\"; "
       "set = [\"seed=3\"]; } ); };",
       ":1: sweep.policies.[0].set.[0]: seed is the sweep's own (sweep.seed)"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } ); policies = ( "
       "{ name = \"a\"; "
       "set = [\"replications=3\"]; } ); };",
       ":1: sweep.policies.[0].set.[0]: replications is the sweep's own (sweep.replications)"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } ); policies = ( "
       "{ name = \"a\"; "
       "set = []; colour = 1; } ); };",
       ":1: sweep.policies.[0].colour: unknown key"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } ); policies = ( "
       "{ name = \"a\"; "
       "set = []; },\n { name = \"a\"; set = []; } ); };",
       ":2: sweep.policies.[1].name: duplicate name \"a\""},

      {"sweep: { parameters = ( { path = \"network.type\"; values = "
       "[\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"]; } ); };",
       ":1: sweep.parameters.[0].values.[0]: must be a finite number, true, false, or a string of "
       "at most 61 characters without quotes, commas or line breaks"},
      {"sweep: { parameters = ( { path = \"population/developers\"; values = [1, 2]; } ); };",
       ":1: sweep.parameters.[0].path: \"population/developers\" is not a path lockin takes: "
       "names and list indices [i] joined by '.', as in events.[0].step"},
      {"sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } ); policies = ( "
       "{ name = \"a\"; set = [\"events.[00].decision=accept\"]; } ); };",
       ":1: sweep.policies.[0].set.[0]: \"events.[00].decision\" is not a path lockin takes: "
       "names and list indices [i] joined by '.', as in events.[0].step"},
      {"sweep: { parameters = ( { path = \"seed\"; values = [1, 2]; } ); };",
       ":1: sweep.parameters.[0].path: seed is the sweep's own (sweep.seed)"},
      {"sweep: { parameters = ( { path = \"replications\"; values = [1, 2]; } ); };",
       ":1: sweep.parameters.[0].path: replications is the sweep's own (sweep.replications)"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *file = write_sweep("bad.cfg", bad[i].text);
    sweep w;
    scn_errors err;
    assert_int_equal(sweep_load(file, &w, &err), 2);
    char want[400];
    snprintf(want, sizeof want, "%s%s", file, bad[i].msg);
    if (strcmp(err.msg[0], want))
      fail_msg("case %zu:\n  got  %s\n  want %s", i, err.msg[0], want);
    sweep_free(&w);
  }
}

/* A bad value at one point names the sweep file's line and the point, and
 * nothing runs. */
static void test_points_checked_before_running(void **state)
{
  (void)state;
  const char *file =
      write_sweep("badpoint.cfg", "sweep: { scenario = \"small.cfg\";\n"
                                  "  parameters = (\n"
                                  "    { path = \"dynamics.multihoming\"; values = [0.5, 1.5]; },\n"
                                  "    { path = \"dynamics.nope\"; values = [1.0]; }\n"
                                  "  ); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  scenario s;
  assert_int_equal(sweep_point_scenario(&w, 0, 0, NULL, &s, NULL, &err), 2);
  char want[1024];
  snprintf(want, sizeof want,
           "%s:4: parameters.[1] (dynamics.nope = 1.0), point 0: dynamics.nope: no such key in "
           "the resolved scenario",
           file);
  assert_string_equal(err.msg[0], want);
  sweep_free(&w);
  file =
      write_sweep("badpoint2.cfg", "sweep: { scenario = \"small.cfg\";\n"
                                   "  parameters = (\n"
                                   "    { path = \"dynamics.multihoming\"; values = [0.5, 1.5]; }\n"
                                   "  ); };\n");
  assert_int_equal(sweep_load(file, &w, &err), 0);
  assert_int_equal(sweep_point_scenario(&w, 0, 0, NULL, &s, NULL, &err), 0);
  assert_int_equal(sweep_point_scenario(&w, 1, 0, NULL, &s, NULL, &err), 2);
  snprintf(want, sizeof want,
           "%s:3: parameters.[0] (dynamics.multihoming = 1.5), point 1: dynamics.multihoming: "
           "must be in [0, 1] (got 1.5)",
           file);
  assert_string_equal(err.msg[0], want);
  char out[300], dir[400];
  snprintf(out, sizeof out, "%s/never", tmp);
  const char *args[] = {"sweep", file, "-o", out, "--quiet", NULL};
  assert_int_equal(run_args(args), 2);
  snprintf(dir, sizeof dir, "%s/badpoint2", out);
  struct stat st;
  assert_true(stat(dir, &st) != 0); /* nothing written */
  sweep_free(&w);
}

/* A sweep file without a name is named as a scenario file would be:
 * "MySweep.cfg" -> "mysweep". */
static void test_name_from_file(void **state)
{
  (void)state;
  const char *file =
      write_sweep("My-Sweep.v2.cfg", "sweep: { parameters = ( { path = \"dynamics.multihoming\"; "
                                     "values = [1]; } ); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  assert_string_equal(w.name, "my_sweep");
  sweep_free(&w);
  char name[SCN_NAME_LEN];
  scenario_name_from_file("dir/MyRun.cfg", "scenario", name, sizeof name);
  assert_string_equal(name, "myrun");
}

/* The sweep's scenario is read once, when the sweep is loaded: editing it
 * during a sweep changes no point.  A missing one is named at its line. */
static void test_scenario_read_once(void **state)
{
  (void)state;
  write_sweep("once.cfg", "steps = 9;\n");
  const char *file = write_sweep("once_sweep.cfg", "sweep: {\n  scenario = \"once.cfg\";\n"
                                                   "  parameters = ( { path = "
                                                   "\"dynamics.multihoming\"; values = [0.5]; } "
                                                   "); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  write_sweep("once.cfg", "steps = 11;\n");
  scenario s;
  assert_int_equal(sweep_point_scenario(&w, 0, 0, NULL, &s, NULL, &err), 0);
  assert_int_equal(s.steps, 9);
  sweep_free(&w);
  file = write_sweep("gone_sweep.cfg", "sweep: {\n  scenario = \"gone.cfg\";\n"
                                       "  parameters = ( { path = \"dynamics.multihoming\"; "
                                       "values = [0.5]; } ); };\n");
  assert_int_equal(sweep_load(file, &w, &err), 2);
  char want[700];
  snprintf(want, sizeof want,
           "%s:2: sweep.scenario: %s/gone.cfg: cannot read: No such file or "
           "directory",
           file, tmp);
  assert_string_equal(err.msg[0], want);
  sweep_free(&w);
}

/* Run args in this process with stderr to a file; its text (free it). */
static char *run_stderr(const char *const *args, int *rc)
{
  char log[400];
  snprintf(log, sizeof log, "%s/stderr.log", tmp);
  fflush(stderr);
  int saved = dup(2), fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(saved >= 0 && fd >= 0);
  dup2(fd, 2);
  close(fd);
  *rc = run_args(args);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  char *text = slurp(log);
  assert_non_null(text);
  return text;
}

/* A bad value met at several points (every combination with the other
 * parameters) is shown once, and the repeats are counted. */
static void test_one_problem_shown_once(void **state)
{
  (void)state;
  const char *file = write_sweep(
      "once_bad.cfg", "sweep: { scenario = \"small.cfg\"; parameters = (\n"
                      "  { path = \"utility.temperature\"; values = [-1.0, 1.0]; },\n"
                      "  { path = \"dynamics.multihoming\"; values = [0.2, 0.5, 0.8]; } ); };\n");
  const char *args[] = {"check", file, NULL};
  int rc;
  char *text = run_stderr(args, &rc);
  assert_int_equal(rc, 2);
  const char *first = strstr(text, "must be >= 0 (got -1)");
  assert_non_null(first);
  assert_null(strstr(first + 1, "must be >= 0"));
  assert_non_null(strstr(text, "(the problem above at other points: 2 more, not repeated)"));
  free(text);
}

/* A policy's assignment that is bad at a point names the policy's line. */
static void test_policy_checked_at_every_point(void **state)
{
  (void)state;
  const char *file = write_sweep(
      "badpol.cfg", "sweep: { scenario = \"small.cfg\";\n"
                    "  parameters = ( { path = \"dynamics.multihoming\"; values = [1]; } );\n"
                    "  policies = ( { name = \"ok\"; set = []; },\n"
                    "    { name = \"bad\"; set = [\"utility.temperature=-1\"]; } ); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  scenario s;
  assert_int_equal(sweep_point_scenario(&w, 0, 0, NULL, &s, NULL, &err), 0);
  assert_int_equal(sweep_point_scenario(&w, 0, 1, NULL, &s, NULL, &err), 2);
  char want[400];
  snprintf(want, sizeof want,
           "%s:4: policies.[1] (bad), point 0: utility.temperature: must be >= 0 (got -1)", file);
  assert_string_equal(err.msg[0], want);
  sweep_free(&w);
}

/* ------------------------------------------------------------------ runs */

static const char *crn_sweep(void)
{
  return write_sweep("crn.cfg", "sweep: { name = \"crn\"; scenario = \"small.cfg\";\n"
                                "  replications = 3; seed = 11; parameters = (\n"
                                "    { path = \"tipping_threshold\"; values = [0.5, 0.9]; },\n"
                                "    { path = \"dynamics.multihoming\"; values = [0.2, 0.8]; }\n"
                                "  ); };\n");
}

/* Replication r has one seed at every point: points that differ only in
 * the tipping threshold have the same final metrics. */
static void test_common_random_numbers_across_points(void **state)
{
  (void)state;
  char out[300], path[400];
  snprintf(out, sizeof out, "%s/crn_out", tmp);
  const char *args[] = {"sweep", crn_sweep(), "-o", out, "--quiet", "-j", "2", NULL};
  assert_int_equal(run_args(args), 0);
  snprintf(path, sizeof path, "%s/crn/sweep.csv", out);
  char *csv = slurp(path);
  assert_non_null(csv);
  /* rows: point 0 (0.5, 0.2) and point 2 (0.9, 0.2), replication by replication */
  char *rows[12] = {0};
  char *line = strchr(csv, '\n') + 1;
  for (int k = 0; k < 12 && line && *line; k++) {
    rows[k] = line;
    line = strchr(line, '\n');
    *line++ = '\0';
  }
  for (int r = 0; r < 3; r++) {
    /* skip "p,policy,r,threshold,multihoming,tip_step,": the launch steps
     * and the final metrics are the same */
    char *a = rows[r], *b = rows[6 + r];
    for (int c = 0; c < 6; c++) {
      a = strchr(a, ',') + 1;
      b = strchr(b, ',') + 1;
    }
    assert_string_equal(a, b);
  }
  free(csv);
}

static size_t journal_lines(const char *path)
{
  FILE *f = fopen(path, "r");
  size_t n = 0;
  int c;
  if (!f)
    return 0;
  while ((c = fgetc(f)) != EOF)
    n += c == '\n';
  fclose(f);
  return n;
}

/* Long enough to be killed in the middle; small under valgrind
 * (LOCKIN_QUICK), where the in-process runs are 50 times slower. */
static const char *slow_sweep(void)
{
  return write_sweep(
      "slow.cfg",
      test_quick() ? "sweep: { name = \"slow\"; scenario = \"small.cfg\";\n"
                     "  replications = 4; design = \"grid\"; levels = 4; parameters = (\n"
                     "    { path = \"population.developers\"; min = 2000; max = 8000; },\n"
                     "    { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; }\n"
                     "  );\n"
                     "  policies = ( { name = \"decline\"; set = []; },\n"
                     "    { name = \"accept\"; set = [\"events.[0].decision=accept\"]; } ); "
                     "};\n"
                   : "sweep: { name = \"slow\"; scenario = \"small.cfg\";\n"
                     "  replications = 4; design = \"grid\"; levels = 4; parameters = (\n"
                     "    { path = \"population.developers\"; min = 20000; max = 80000; },\n"
                     "    { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; }\n"
                     "  );\n"
                     "  policies = ( { name = \"decline\"; set = []; },\n"
                     "    { name = \"accept\"; set = [\"events.[0].decision=accept\"]; } ); };\n");
}

/* kill -9 in the middle of a sweep, then --resume: the same bytes as an
 * uninterrupted run; a line cut short is dropped; another sweep's journal
 * is refused. */
static void test_resume_after_crash(void **state)
{
  (void)state;
  char full[300], crash[300], a[400], b[400], journal[400];
  snprintf(full, sizeof full, "%s/full", tmp);
  snprintf(crash, sizeof crash, "%s/crash", tmp);
  const char *sweep_file = slow_sweep();
  const char *whole[] = {"sweep", sweep_file, "-o",           full, "--quiet",
                         "-j",    "2",        "--timeseries", NULL};
  assert_int_equal(run_args(whole), 0);
  snprintf(journal, sizeof journal, "%s/slow/journal.csv", crash);
  const char *args[] = {"sweep", sweep_file, "-o",           crash, "--quiet",
                        "-j",    "2",        "--timeseries", NULL};
  pid_t pid = spawn_lockin(args, 0);
  /* Kill it once a few runs are journaled (the header line + runs). */
  for (int i = 0; i < 20000 && journal_lines(journal) < 1 + 5; i++)
    usleep(500);
  kill(pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  size_t held = journal_lines(journal);
  /* The journal is a plain CSV: its first line is the header. */
  char head[32] = "";
  FILE *h = fopen(journal, "r");
  assert_non_null(h);
  assert_non_null(fgets(head, sizeof head, h));
  fclose(h);
  assert_memory_equal(head, "point,policy,replication,", 25);
  assert_true(held >= 1 + 5);
  if (WIFSIGNALED(status))
    assert_true(held < 1 + 128); /* it was cut off before the end */
  /* A line cut short by the crash. */
  FILE *f = fopen(journal, "a");
  fputs("7,accept,1,-1,123", f);
  fclose(f);
  /* A timeseries journal cut in the middle of a cell. */
  snprintf(a, sizeof a, "%s/slow/journal_timeseries.csv", crash);
  f = fopen(a, "a");
  fputs("5,decline,0,1,2", f);
  fclose(f);
  const char *resume[] = {"sweep",   sweep_file, "-o",           crash,
                          "--quiet", "--resume", "--timeseries", NULL};
  assert_int_equal(run_args(resume), 0);
  const char *files[] = {"sweep.csv", "sweep_summary.csv", "sweep_contrast.csv",
                         "sweep_timeseries.csv"};
  for (int k = 0; k < 4; k++) {
    snprintf(a, sizeof a, "%s/slow/%s", full, files[k]);
    snprintf(b, sizeof b, "%s/slow/%s", crash, files[k]);
    same_file(a, b);
  }
  /* Another sweep (another seed) must not use this journal. */
  const char *other[] = {"sweep", sweep_file, "-o", crash, "--quiet", "--resume", "-s", "99", NULL};
  assert_int_equal(run_args(other), 2);
  /* An empty journal (killed before its header was written) and a
   * header-only one resume too: everything is run again, same bytes. */
  snprintf(journal, sizeof journal, "%s/slow/journal.csv", crash);
  assert_int_equal(truncate(journal, 0), 0);
  snprintf(a, sizeof a, "%s/slow/journal_timeseries.csv", crash);
  f = fopen(a, "r+");
  char first[4096];
  assert_non_null(fgets(first, sizeof first, f)); /* the CSV header */
  assert_int_equal(ftruncate(fileno(f), ftell(f)), 0);
  fclose(f);
  assert_int_equal(run_args(resume), 0);
  for (int k = 0; k < 4; k++) {
    snprintf(a, sizeof a, "%s/slow/%s", full, files[k]);
    snprintf(b, sizeof b, "%s/slow/%s", crash, files[k]);
    same_file(a, b);
  }
}

/* check SWEEP checks every point and runs one calibration run; nothing is
 * written. */
static void test_check_sweep(void **state)
{
  (void)state;
  const char *good[] = {"check", crn_sweep(), NULL};
  assert_int_equal(run_args(good), 0);
  const char *file = write_sweep("badcheck.cfg", "sweep: { scenario = \"small.cfg\";\n"
                                                 "  parameters = ( { path = \"steps\"; values = "
                                                 "[10, 0]; } ); };\n");
  const char *bad[] = {"check", file, NULL};
  assert_int_equal(run_args(bad), 2);
}

static const char *policy_sweep(void)
{
  return write_sweep("pol.cfg",
                     "sweep: { name = \"pol\"; scenario = \"small.cfg\";\n"
                     "  replications = 4; seed = 3; parameters = (\n"
                     "    { path = \"dynamics.multihoming\"; values = [0.2, 0.5, 0.8]; } );\n"
                     "  policies = ( { name = \"decline\"; set = []; },\n"
                     "    { name = \"accept\"; set = [\"events.[0].decision=accept\"]; },\n"
                     "    { name = \"thr\"; set = [\"tipping_threshold=0.9\"]; },\n"
                     "    { name = \"nudge\"; set = [\"utility.maturity=2.1\"]; } ); };\n");
}

static void test_shards_merge_to_the_whole(void **state)
{
  (void)state;
  char whole[300], sh[300], a[400], b[400], d[3][400];
  /* Without and with policies (write_sweep returns one static buffer). */
  char file[2][300];
  const char *name[2] = {"crn", "pol"};
  snprintf(file[0], sizeof file[0], "%s", crn_sweep());
  snprintf(file[1], sizeof file[1], "%s", policy_sweep());
  for (int x = 0; x < 2; x++) {
    snprintf(whole, sizeof whole, "%s/whole%d", tmp, x);
    snprintf(sh, sizeof sh, "%s/sharded%d", tmp, x);
    /* the policy sweep with --timeseries too */
    const char *ts = x ? "--timeseries" : NULL;
    const char *args[] = {"sweep", file[x], "-o", whole, "--quiet", ts, NULL};
    assert_int_equal(run_args(args), 0);
    const char *ks[] = {"1/3", "2/3", "3/3"};
    for (int k = 0; k < 3; k++) {
      const char *part[] = {"sweep", file[x], "-o", sh, "--quiet", "--shard", ks[k], ts, NULL};
      assert_int_equal(run_args(part), 0);
      snprintf(d[k], sizeof d[k], "%s/%s/shard-%d-of-3", sh, name[x], k + 1);
    }
    const char *two[] = {"merge", d[0], d[1], "--quiet", NULL};
    assert_int_equal(run_args(two), 2); /* shard 3 missing */
    const char *all[] = {"merge", d[2], d[0], d[1], "--quiet", NULL};
    assert_int_equal(run_args(all), 0);
    const char *files[] = {"sweep.csv", "sweep_summary.csv", "sweep_contrast.csv",
                           "sweep_timeseries.csv"};
    for (int k = 0; k < 2 + 2 * x; k++) {
      snprintf(a, sizeof a, "%s/%s/%s", whole, name[x], files[k]);
      snprintf(b, sizeof b, "%s/%s/%s", sh, name[x], files[k]);
      same_file(a, b);
    }
    /* The folder keeps what the sweep ran with: the sweep file and its
     * scenario as read, and the seed, replications and overrides; merge
     * carries them over. */
    for (int k = 0; k < SWEEP_N_INPUTS; k++) {
      snprintf(a, sizeof a, "%s/%s/%s", whole, name[x], sweep_input_names[k]);
      snprintf(b, sizeof b, "%s/%s/%s", sh, name[x], sweep_input_names[k]);
      same_file(a, b);
    }
    snprintf(a, sizeof a, "%s/%s/sweep.cfg", whole, name[x]);
    same_file(a, file[x]);
    snprintf(a, sizeof a, "%s/%s/scenario.cfg", whole, name[x]);
    snprintf(b, sizeof b, "%s/small.cfg", tmp);
    same_file(a, b);
  }
  /* A damaged sweep_meta.txt (a size beyond its bound, sizes in bounds
   * whose table would not fit, a shard past the count, no points) is
   * refused with exit 2: never a crash, a huge allocation or an empty
   * result. */
  static const char *const metas[] = {
      "lockin sweep 0.1.0\nfingerprint 1\npoints 99999999999999\nreplications 2\nparameters "
      "1\noutcomes 2\nmetrics 44\nshard 1 1\npolicies 1\nbase\n",
      "lockin sweep 0.1.0\nfingerprint 1\npoints 1000000\nreplications 10000000\nparameters "
      "1\noutcomes 2\nmetrics 44\nshard 1 1\npolicies 16\na b c d e f g h i j k l m n o "
      "p\n",
      "lockin sweep 0.1.0\nfingerprint 1\npoints 4\nreplications 2\nparameters 1\noutcomes "
      "2\nmetrics 44\nshard 3 2\npolicies 1\nbase\n",
      "lockin sweep 0.1.0\nfingerprint 1\npoints 0\nreplications 2\nparameters 1\noutcomes "
      "2\nmetrics 44\nshard 1 1\npolicies 1\nbase\n"};
  for (size_t k = 0; k < sizeof metas / sizeof metas[0]; k++) {
    snprintf(a, sizeof a, "%s/badmeta%zu", tmp, k);
    mkdir(a, 0700);
    snprintf(b, sizeof b, "%s/badmeta%zu/sweep_meta.txt", tmp, k);
    FILE *f = fopen(b, "w");
    fputs(metas[k], f);
    fclose(f);
    const char *m[] = {"merge", a, "--quiet", NULL};
    int rc;
    char *text = run_stderr(m, &rc);
    assert_int_equal(rc, 2);
    if (!strstr(text, "badmeta") || !strstr(text, "not a lockin sweep_meta.txt"))
      fail_msg("meta %zu: %s", k, text);
    free(text);
  }
  /* Sizes in bounds that promise more rows than the sweep.csv files hold
   * (here: none) are refused before the table is allocated. */
  snprintf(a, sizeof a, "%s/bigmeta", tmp);
  mkdir(a, 0700);
  snprintf(b, sizeof b, "%s/bigmeta/sweep_meta.txt", tmp);
  FILE *f = fopen(b, "w");
  fputs("lockin sweep 0.1.0\nfingerprint 1\npoints 100000\nreplications 1000\nparameters "
        "1\noutcomes 2\nmetrics 44\nshard 1 1\npolicies 1\nbase\n",
        f);
  fclose(f);
  const char *big[] = {"merge", a, "--quiet", NULL};
  int rc;
  char *text = run_stderr(big, &rc);
  assert_int_equal(rc, 2);
  assert_non_null(strstr(text, "bigmeta/sweep_meta.txt promises 100000 points x 1 policies x 1000 "
                               "replications, more rows than the shards' sweep.csv files can "
                               "hold (0 bytes)"));
  free(text);
  /* The command line's overrides are listed. */
  snprintf(whole, sizeof whole, "%s/whole_set", tmp);
  const char *set[] = {"sweep", file[1],   "-o", whole, "--quiet",
                       "--set", "steps=6", "-s", "11",  NULL};
  assert_int_equal(run_args(set), 0);
  snprintf(a, sizeof a, "%s/pol/overrides.txt", whole);
  text = slurp(a);
  assert_non_null(text);
  assert_non_null(strstr(text, "\nseed = 11\nreplications = 4\n--set steps=6\n"));
  free(text);
}

/* Column `name` of a CSV's header, or -1. */
static int column_of(const char *csv, const char *name)
{
  size_t len = strlen(name);
  int col = 0;
  for (const char *c = csv; *c && *c != '\n'; col++) {
    const char *e = c;
    while (*e && *e != ',' && *e != '\n')
      e++;
    if ((size_t)(e - c) == len && !strncmp(c, name, len))
      return col;
    c = *e == ',' ? e + 1 : e;
  }
  return -1;
}

/* Field `col` of the line at `line` as a number. */
static double field(const char *line, int col)
{
  for (int c = 0; c < col; c++)
    line = strchr(line, ',') + 1;
  return strtod(line, NULL);
}

/* The line after the header whose first two fields are "p,policy". */
static const char *row_of(const char *csv, const char *key)
{
  size_t len = strlen(key);
  for (const char *l = strchr(csv, '\n') + 1; *l; l = strchr(l, '\n') + 1)
    if (!strncmp(l, key, len) && l[len] == ',')
      return l;
  return NULL;
}

/* Policies on common random numbers: sweep_contrast.csv holds each policy
 * minus the first, replication by replication; a policy that changes no
 * choice (the tipping threshold) gives exactly 0; a small nudge gives a
 * paired interval far narrower than the unpaired one. */
static void test_policies_contrast(void **state)
{
  (void)state;
  char out[300], path[400];
  snprintf(out, sizeof out, "%s/pol_out", tmp);
  const char *args[] = {"sweep", policy_sweep(), "-o", out, "--quiet", "-j", "2", NULL};
  assert_int_equal(run_args(args), 0);
  snprintf(path, sizeof path, "%s/pol/sweep.csv", out);
  char *runs = slurp(path);
  snprintf(path, sizeof path, "%s/pol/sweep_summary.csv", out);
  char *sum = slurp(path);
  snprintf(path, sizeof path, "%s/pol/sweep_contrast.csv", out);
  char *con = slurp(path);
  assert_non_null(runs);
  assert_non_null(sum);
  assert_non_null(con);
  assert_true(!strncmp(runs, "point,policy,replication,dynamics.multihoming,tip_step,", 55));
  assert_true(!strncmp(sum, "point,policy,dynamics.multihoming,active.mean,", 46));
  assert_true(!strncmp(con, "point,policy,dynamics.multihoming,active.diff,active.diff_lo,", 61));
  /* 3 points x 4 policies x 4 replications; 3 x 4 summary rows; 3 x 3 contrasts */
  size_t lines[3] = {0, 0, 0};
  const char *all[3] = {runs, sum, con};
  for (int f = 0; f < 3; f++)
    for (const char *c = all[f]; *c; c++)
      lines[f] += *c == '\n';
  assert_int_equal(lines[0], 1 + 48);
  assert_int_equal(lines[1], 1 + 12);
  assert_int_equal(lines[2], 1 + 9);
  assert_null(row_of(con, "0,decline"));
  /* thr: every difference and both ends of its interval exactly 0 */
  const char *thr = row_of(con, "1,thr");
  assert_non_null(thr);
  int n_cols = 0;
  for (const char *c = con; *c != '\n'; c++)
    n_cols += *c == ',';
  for (int k = 3; k <= n_cols; k++)
    assert_true(field(thr, k) == 0.0);
  /* accept: the mean paired difference of hub_share.hf from sweep.csv */
  int col = column_of(runs, "hub_share.hf"), dcol = column_of(con, "hub_share.hf.diff");
  assert_true(col > 0 && dcol > 0);
  for (int p = 0; p < 3; p++) {
    double d = 0;
    for (int r = 0; r < 4; r++) {
      char ka[32], kd[32];
      snprintf(ka, sizeof ka, "%d,accept,%d", p, r);
      snprintf(kd, sizeof kd, "%d,decline,%d", p, r);
      d += (field(row_of(runs, ka), col) - field(row_of(runs, kd), col)) / 4;
    }
    char key[32];
    snprintf(key, sizeof key, "%d,accept", p);
    assert_close(field(row_of(con, key), dcol), d, 1e-12);
  }
  /* nudge: paired half-width of vendor_hhi far below the unpaired one */
  int mcol = column_of(sum, "vendor_hhi.mean"), ccol = column_of(con, "vendor_hhi.diff");
  const char *sa = row_of(sum, "0,decline"), *sb = row_of(sum, "0,nudge"),
             *c = row_of(con, "0,nudge");
  double ha = field(sa, mcol + 2) - field(sa, mcol), hb = field(sb, mcol + 2) - field(sb, mcol);
  double hp = field(c, ccol + 2) - field(c, ccol);
  print_message("nudge: paired half-width %.3f, unpaired %.3f\n", hp, sqrt(ha * ha + hb * hb));
  assert_true(hp < 0.5 * sqrt(ha * ha + hb * hb));
  free(runs);
  free(sum);
  free(con);
}

/* sweep --timeseries: per point, policy and step the mean, p05 and p95 of
 * every metric; at the last step the mean is sweep_summary.csv's. */
static void test_sweep_timeseries(void **state)
{
  (void)state;
  char out[300], path[400];
  snprintf(out, sizeof out, "%s/ts_out", tmp);
  const char *args[] = {"sweep", policy_sweep(), "-o", out, "--quiet", "--timeseries", NULL};
  assert_int_equal(run_args(args), 0);
  snprintf(path, sizeof path, "%s/pol/sweep_timeseries.csv", out);
  char *ts = slurp(path);
  snprintf(path, sizeof path, "%s/pol/sweep_summary.csv", out);
  char *sum = slurp(path);
  assert_non_null(ts);
  assert_non_null(sum);
  assert_true(!strncmp(ts, "point,policy,step,active.mean,active.p05,active.p95,", 52));
  size_t lines = 0;
  for (const char *c = ts; *c; c++)
    lines += *c == '\n';
  assert_int_equal(lines, 1 + 3 * 4 * 24); /* points x policies x steps */
  int tcol = column_of(ts, "vendor_hhi.mean"), scol = column_of(sum, "vendor_hhi.mean");
  int p05 = column_of(ts, "vendor_hhi.p05"), p95 = column_of(ts, "vendor_hhi.p95");
  const char *keys[2] = {"2,accept", "1,nudge"}, *last[2] = {"2,accept,23", "1,nudge,23"};
  for (int x = 0; x < 2; x++) {
    const char *row = row_of(ts, last[x]), *srow = row_of(sum, keys[x]);
    assert_non_null(row);
    assert_non_null(srow);
    assert_close(field(row, tcol), field(srow, scol), 1e-9 * field(srow, scol));
    assert_true(field(row, p05) <= field(row, tcol) && field(row, tcol) <= field(row, p95));
  }
  free(ts);
  free(sum);
}

/* analyze on a finished sweep with policies: the files of its design, the
 * contrast as an expression, PRIM's box; bad expressions and folders are
 * refused (exit 2) with nothing written. */
static void test_analyze_sweep(void **state)
{
  (void)state;
  char out[300], dir[400], path[500];
  snprintf(out, sizeof out, "%s/an_out", tmp);
  const char *file = write_sweep(
      "an.cfg", "sweep: { name = \"an\"; scenario = \"small.cfg\"; design = \"saltelli\";\n"
                "  points = 8; replications = 2; seed = 4; parameters = (\n"
                "    { path = \"events.[0].responses.[0].probability\"; min = 0.0; max = 1.0; },\n"
                "    { path = \"dynamics.multihoming\"; min = 0.2; max = 0.9; } );\n"
                "  policies = ( { name = \"accept\"; set = [\"events.[0].decision=accept\"]; },\n"
                "    { name = \"decline\"; set = []; } ); };\n");
  const char *args[] = {"sweep", file, "-o", out, "--quiet", NULL};
  assert_int_equal(run_args(args), 0);
  snprintf(dir, sizeof dir, "%s/an", out);
  /* bad input first: nothing may be written */
  const char *bad[][6] = {
      {"analyze", dir, "--metric", "hub_share.hf", NULL},              /* which policy? */
      {"analyze", dir, "--metric", "hub_share.zz@accept", NULL},       /* no metric */
      {"analyze", dir, "--metric", "hub_share.hf@maybe", NULL},        /* no policy */
      {"analyze", dir, "--discover", "hub_share.hf@accept ~ 1", NULL}, /* no OP */
      {"analyze", tmp, NULL},                                          /* not a sweep */
  };
  for (size_t x = 0; x < sizeof bad / sizeof bad[0]; x++)
    assert_int_equal(run_args(bad[x]), 2);
  snprintf(path, sizeof path, "%s/analysis", dir);
  struct stat st;
  assert_true(stat(path, &st) != 0 || (rmdir(path) == 0)); /* an empty folder at most */
  const char *good[] = {"analyze",    dir,
                        "--metric",   "vendor_d1@decline-accept",
                        "--metric",   "hub_share.hf@decline",
                        "--discover", "hub_share.hf@decline < 0.99",
                        "--quiet",    NULL};
  assert_int_equal(run_args(good), 0);
  snprintf(path, sizeof path, "%s/analysis/sobol.csv", dir);
  char *sobol = slurp(path);
  assert_non_null(sobol);
  const char *head = "metric,parameter,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi\n"
                     "vendor_d1@decline-accept,events.[0].responses.[0].probability,";
  assert_true(!strncmp(sobol, head, strlen(head)));
  size_t lines = 0;
  for (char *c = sobol; *c; c++)
    lines += *c == '\n';
  assert_int_equal(lines, 1 + 2 * 2);
  free(sobol);
  snprintf(path, sizeof path, "%s/analysis/prcc.csv", dir);
  assert_true(stat(path, &st) == 0);
  snprintf(path, sizeof path, "%s/analysis/prim.csv", dir);
  char *prim = slurp(path);
  assert_non_null(prim);
  assert_non_null(strstr(prim, "step,coverage,density,mass,restricted,chosen,"));
  free(prim);
  snprintf(path, sizeof path, "%s/analysis/morris.csv", dir);
  assert_true(stat(path, &st) != 0); /* not a morris design */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_grid_order_and_levels),
      cmocka_unit_test(test_lhs_strata),
      cmocka_unit_test(test_sobol_first_points),
      cmocka_unit_test(test_saltelli_layout),
      cmocka_unit_test(test_morris_layout),
      cmocka_unit_test(test_random_and_whole_numbers),
      cmocka_unit_test(test_bad_sweep_files),
      cmocka_unit_test(test_points_checked_before_running),
      cmocka_unit_test(test_policy_checked_at_every_point),
      cmocka_unit_test(test_scenario_read_once),
      cmocka_unit_test(test_one_problem_shown_once),
      cmocka_unit_test(test_name_from_file),
      cmocka_unit_test(test_common_random_numbers_across_points),
      cmocka_unit_test(test_resume_after_crash),
      cmocka_unit_test(test_check_sweep),
      cmocka_unit_test(test_shards_merge_to_the_whole),
      cmocka_unit_test(test_policies_contrast),
      cmocka_unit_test(test_analyze_sweep),
      cmocka_unit_test(test_sweep_timeseries),
  };
  return cmocka_run_group_tests_name("sweep", tests, setup, tmp_remove);
}
