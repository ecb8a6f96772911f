/* sweep: reading a sweep file, its designs, and the scenario of a point.
 *
 * Design order (what tests check):
 *   grid:   the full product in file order, the last parameter varying
 *           fastest; a range at `levels` evenly spaced points, ends included
 *           exactly (log-spaced with `log`).
 *   random: for each point, for each parameter, one gsl_rng_uniform.
 *   lhs:    for each parameter, a gsl_ran_shuffle of the strata 0..points-1,
 *           then for each point (stratum + gsl_rng_uniform) / points.
 *   sobol:  gsl_qrng_sobol in as many dimensions as parameters.
 *   saltelli: gsl_qrng_sobol in 2k dimensions for k parameters; base sample
 *           j gives A_j (first k) and B_j (last k), and the design holds
 *           A_j, B_j, then AB_j^(i) for i = 1..k (A_j with coordinate i
 *           from B_j): points * (k + 2) points (Saltelli et al. 2010).
 *   morris: `points` trajectories on a grid of `levels` levels (default 4),
 *           step delta = levels / (2 (levels - 1)): a start drawn uniformly
 *           among the levels, then one move per parameter in an order
 *           shuffled with gsl_ran_shuffle, up or down by a fair coin,
 *           reversed when it would leave the cube (Morris 1991): points *
 *           (k + 1) points.  gsl_rng seeded from (seed, RNG_SWEEP).
 * A coordinate u in [0,1) maps to a range linearly (log-uniformly with
 * `log`), to a list by index floor(u n); a whole-number key's value is
 * rounded to the nearest integer. */
#include "sweep.h"

#include <inttypes.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <libconfig.h>

#include "numfmt.h"
#include "rng.h"
#include "scenario_internal.h"
#include "schema.h"

#define MAX_LEVELS 1000

static const char *const designs[] = {"grid", "random", "lhs", "sobol", "saltelli", "morris", NULL};

const char *sweep_design_name(sweep_design d)
{
  return designs[d];
}

/* The sweep group's keys, read by the scenario module's key machinery so
 * that their errors read as a scenario's; levels' default depends on the
 * design (derived), the scenario's path and the lists are read here. */
#define W_(f) offsetof(sweep, f)
static const key_spec sweep_keys[] = {
    {.key = "name",
     .kind = K_NAME,
     .off = W_(name),
     .flags = F_NOSET,
     .doc = "output folder name (default: the file's name)"},
    {.key = "scenario", .kind = K_CALLER, .doc = "the scenario file, relative to the sweep file"},
    {.key = "design",
     .kind = K_ENUM,
     .off = W_(design),
     .sdef = "grid",
     .choices = designs,
     .doc = "how points are placed"},
    {.key = "points",
     .kind = K_INT,
     .off = W_(points),
     .def = 16,
     .lo = 1,
     .hi = SWEEP_MAX_POINTS,
     .doc = "points; saltelli: base samples; morris: trajectories"},
    {.key = "levels",
     .kind = K_INT,
     .off = W_(levels),
     .lo = 1,
     .hi = MAX_LEVELS,
     .flags = F_NOSET,
     .doc = "grid: points per range (default 5); morris: levels (default 4)"},
    {.key = "replications",
     .kind = K_INT,
     .off = W_(replications),
     .def = 10,
     .lo = 1,
     .hi = SCN_MAX_REPLICATIONS,
     .doc = "replications of each point and policy"},
    {.key = "seed",
     .kind = K_U64,
     .off = W_(seed),
     .def = 1,
     .lo = 0,
     .hi = 18446744073709551615.0,
     .doc = "replication r's seed derives from it, the same at every point"},
    {.key = "parameters", .kind = K_CALLER, .doc = "the parameters swept"},
    {.key = "policies", .kind = K_CALLER, .doc = "the policies compared"},
    KEY_END};
static const char *const policy_keys[] = {"name", "set", NULL};
static const char *const param_keys[] = {"path", "values", "min", "max", "log", NULL};

static unsigned line_of(const config_setting_t *s)
{
  unsigned line = 0;
  for (; s && line == 0; s = config_setting_parent(s))
    line = config_setting_source_line(s);
  return line;
}

int sweep_is_sweep_text(const char *text)
{
  config_t c;
  config_init(&c);
  scn_errors *err = malloc(sizeof *err);
  int yes = 0;
  if (err) {
    err->count = 0;
    yes = scenario_parse_text(&c, text, "", err) == 0 && scn_lookup(&c, "sweep") != NULL;
  }
  free(err);
  config_destroy(&c);
  return yes;
}

void sweep_free(sweep *w)
{
  if (!w)
    return;
  for (size_t i = 0; i < w->n_params; i++)
    free(w->params[i].values);
  for (size_t q = 0; q < w->n_policies; q++)
    free(w->policies[q].sets);
  w->n_policies = 0;
  free(w->lit);
  free(w->cell);
  free(w->text);
  free(w->scenario_text);
  w->lit = w->cell = NULL;
  w->text = w->scenario_text = NULL;
}

/* --------------------------------------------------------------- reading */

static void check_keys(const sweep *w, const config_setting_t *g, const char *const *keys,
                       const char *where, scn_errors *err)
{
  for (int i = 0; i < config_setting_length(g); i++) {
    const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
    const char *n = config_setting_name(m);
    int known = 0;
    for (const char *const *k = keys; *k; k++)
      known |= !strcmp(*k, n);
    if (!known) {
      const char *best = scenario_suggest(keys, n);
      if (best)
        scn_errors_add(err, "%s:%u: %s.%s: unknown key (did you mean \"%s\"?)", w->file, line_of(m),
                       where, n, best);
      else
        scn_errors_add(err, "%s:%u: %s.%s: unknown key", w->file, line_of(m), where, n);
    }
  }
}

static const char *get_string(const sweep *w, const config_setting_t *g, const char *key,
                              const char *where, scn_errors *err)
{
  const config_setting_t *s = scn_member(g, key);
  if (!s)
    return NULL;
  if (config_setting_type(s) != CONFIG_TYPE_STRING) {
    scn_errors_add(err, "%s:%u: %s.%s: must be a string in double quotes", w->file, line_of(s),
                   where, key);
    return NULL;
  }
  return config_setting_get_string(s);
}

static int get_number(const config_setting_t *s, double *x)
{
  int t = config_setting_type(s);
  if (t == CONFIG_TYPE_FLOAT)
    *x = config_setting_get_float(s);
  else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
    *x = (double)config_setting_get_int64(s);
  else
    return 0;
  return isfinite(*x);
}

/* A list entry as a libconfig literal (for the override) and as text. */
static int literal_of(const config_setting_t *e, char *lit, char *cell)
{
  switch (config_setting_type(e)) {
  case CONFIG_TYPE_INT:
  case CONFIG_TYPE_INT64: {
    long long v = config_setting_get_int64(e); /* beyond 32 bits: L, as libconfig needs */
    snprintf(lit, SWEEP_CELL_LEN, "%lld%s", v, v > 2147483647LL || v < -2147483647LL ? "L" : "");
    break;
  }
  case CONFIG_TYPE_FLOAT: {
    double x = config_setting_get_float(e);
    if (!isfinite(x))
      return 0;
    out_double(lit, SWEEP_CELL_LEN - 2, x);
    if (!strpbrk(lit, ".eEn"))
      strcat(lit, ".0");
    break;
  }
  case CONFIG_TYPE_BOOL:
    snprintf(lit, SWEEP_CELL_LEN, "%s", config_setting_get_bool(e) ? "true" : "false");
    break;
  case CONFIG_TYPE_STRING: {
    const char *v = config_setting_get_string(e);
    if (strlen(v) + 3 > SWEEP_CELL_LEN || strpbrk(v, "\"\\,\n\r"))
      return 0;
    snprintf(lit, SWEEP_CELL_LEN, "\"%s\"", v);
    snprintf(cell, SWEEP_CELL_LEN, "%s", v);
    return 1;
  }
  default:
    return 0;
  }
  snprintf(cell, SWEEP_CELL_LEN, "%s", lit);
  return 1;
}

static void read_param(sweep *w, const config_setting_t *e, size_t i, scn_errors *err)
{
  sweep_param *pr = &w->params[i];
  char where[48];
  snprintf(where, sizeof where, "sweep.parameters.[%zu]", i);
  pr->line = line_of(e);
  if (!config_setting_is_group(e)) {
    scn_errors_add(err, "%s:%u: %s: must be a group { path = ...; ... }", w->file, pr->line, where);
    return;
  }
  check_keys(w, e, param_keys, where, err);
  const char *path = get_string(w, e, "path", where, err);
  if (!path || !*path || strlen(path) >= sizeof pr->path) {
    scn_errors_add(err, "%s:%u: %s.path: required: a libconfig path of the scenario", w->file,
                   pr->line, where);
    return;
  }
  if (!scenario_path_ok(path)) {
    scn_errors_add(err, "%s:%u: %s.path: \"%s\" is not a path lockin takes: " SCN_PATH_RULE,
                   w->file, pr->line, where, path);
    return;
  }
  /* The seed and replications belong to the sweep (see read_policy). */
  if (!strcmp(path, "seed") || !strcmp(path, "replications")) {
    scn_errors_add(err, "%s:%u: %s.path: %s is the sweep's own (sweep.%s)", w->file, pr->line,
                   where, path, path);
    return;
  }
  strcpy(pr->path, path);
  pr->is_int = schema_path_is_integer(path);
  const config_setting_t *values = scn_member(e, "values");
  const config_setting_t *mn = scn_member(e, "min");
  const config_setting_t *mx = scn_member(e, "max");
  const config_setting_t *lg = scn_member(e, "log");
  if (lg && config_setting_type(lg) != CONFIG_TYPE_BOOL)
    scn_errors_add(err, "%s:%u: %s.log: must be true or false", w->file, line_of(lg), where);
  pr->is_log = lg && config_setting_type(lg) == CONFIG_TYPE_BOOL && config_setting_get_bool(lg);
  if (values && (mn || mx)) {
    scn_errors_add(err, "%s:%u: %s: give either values or min and max, not both", w->file, pr->line,
                   where);
    return;
  }
  if (values) {
    int n = config_setting_is_aggregate(values) ? config_setting_length(values) : -1;
    if (n < 1 || n > SWEEP_MAX_VALUES || config_setting_is_group(values)) {
      scn_errors_add(err, "%s:%u: %s.values: must be a list [a, b, ...] of 1 to %d values", w->file,
                     line_of(values), where, SWEEP_MAX_VALUES);
      return;
    }
    if (pr->is_log)
      scn_errors_add(err, "%s:%u: %s.log: applies to a min/max range only", w->file, line_of(lg),
                     where);
    pr->n_values = (size_t)n;
    pr->values = calloc((size_t)n, sizeof *pr->values);
    char cell[SWEEP_CELL_LEN];
    for (int x = 0; pr->values && x < n; x++)
      if (!literal_of(config_setting_get_elem(values, (unsigned)x), pr->values[x], cell))
        scn_errors_add(err,
                       "%s:%u: %s.values.[%d]: must be a finite number, true, false, or a string "
                       "of at most %d characters without quotes, commas or line breaks",
                       w->file, line_of(values), where, x, SWEEP_CELL_LEN - 3);
    return;
  }
  if (!mn || !mx || !get_number(mn, &pr->min) || !get_number(mx, &pr->max)) {
    scn_errors_add(err, "%s:%u: %s: needs values = [...] or finite numbers min and max", w->file,
                   pr->line, where);
    return;
  }
  pr->is_range = 1;
  if (!(pr->min <= pr->max))
    scn_errors_add(err, "%s:%u: %s.max: must be >= min", w->file, line_of(mx), where);
  if (pr->is_log && !(pr->min > 0))
    scn_errors_add(err, "%s:%u: %s.min: must be > 0 with log = true", w->file, line_of(mn), where);
}

/* A name of [a-z0-9_]+ that fits SCN_NAME_LEN. */
static int name_ok(const char *v)
{
  return scenario_name_ok(v) && strlen(v) < SCN_NAME_LEN;
}

static void read_policy(sweep *w, const config_setting_t *e, size_t q, scn_errors *err)
{
  sweep_policy *po = &w->policies[q];
  char where[48];
  snprintf(where, sizeof where, "sweep.policies.[%zu]", q);
  po->line = line_of(e);
  if (!config_setting_is_group(e)) {
    scn_errors_add(err, "%s:%u: %s: must be a group { name = ...; set = [...]; }", w->file,
                   po->line, where);
    return;
  }
  check_keys(w, e, policy_keys, where, err);
  const char *name = get_string(w, e, "name", where, err);
  if (!name || !name_ok(name))
    scn_errors_add(err, "%s:%u: %s.name: required: a name of a-z, 0-9 and _, at most %d characters",
                   w->file, po->line, where, SCN_NAME_LEN - 1);
  else
    strcpy(po->name, name);
  const config_setting_t *set = scn_member(e, "set");
  int n = set && config_setting_is_aggregate(set) && !config_setting_is_group(set)
              ? config_setting_length(set)
              : -1;
  if (n < 0) {
    scn_errors_add(err, "%s:%u: %s.set: required: a list [\"PATH=VALUE\", ...]", w->file,
                   set ? line_of(set) : po->line, where);
    return;
  }
  po->sets = calloc((size_t)n + 1, sizeof *po->sets);
  if (!po->sets)
    return;
  for (int x = 0; x < n; x++) {
    const config_setting_t *a = config_setting_get_elem(set, (unsigned)x);
    const char *v =
        config_setting_type(a) == CONFIG_TYPE_STRING ? config_setting_get_string(a) : NULL;
    const char *eq = v ? strchr(v, '=') : NULL;
    if (!v || !eq || eq == v || strlen(v) >= SWEEP_SET_LEN) {
      scn_errors_add(err,
                     "%s:%u: %s.set.[%d]: must be a string \"PATH=VALUE\" of at most %d "
                     "characters",
                     w->file, line_of(set), where, x, SWEEP_SET_LEN - 1);
      continue;
    }
    /* The seed and replications belong to the sweep: common random numbers
     * need one seed and one count for every policy. */
    size_t plen = (size_t)(eq - v);
    char path[SWEEP_SET_LEN];
    snprintf(path, sizeof path, "%.*s", (int)plen, v);
    if (!scenario_path_ok(path)) {
      scn_errors_add(err, "%s:%u: %s.set.[%d]: \"%s\" is not a path lockin takes: " SCN_PATH_RULE,
                     w->file, line_of(set), where, x, path);
      continue;
    }
    if ((plen == 4 && !strncmp(v, "seed", 4)) || (plen == 12 && !strncmp(v, "replications", 12))) {
      scn_errors_add(err, "%s:%u: %s.set.[%d]: %.*s is the sweep's own (sweep.%.*s)", w->file,
                     line_of(set), where, x, (int)plen, v, (int)plen, v);
      continue;
    }
    snprintf(po->sets[po->n_sets++], SWEEP_SET_LEN, "%s", v);
  }
}

static void read_policies(sweep *w, const config_setting_t *g, scn_errors *err)
{
  const config_setting_t *ps = scn_member(g, "policies");
  if (!ps) {
    w->n_policies = 1; /* the one policy "base" */
    strcpy(w->policies[0].name, "base");
    return;
  }
  if (!config_setting_is_list(ps) || config_setting_length(ps) < 1 ||
      config_setting_length(ps) > SWEEP_MAX_POLICIES) {
    scn_errors_add(err,
                   "%s:%u: sweep.policies: must be a list ( { name = ...; set = [...]; }, ... ) "
                   "of 1 to %d policies",
                   w->file, line_of(ps), SWEEP_MAX_POLICIES);
    return;
  }
  w->n_policies = (size_t)config_setting_length(ps);
  for (size_t q = 0; q < w->n_policies; q++)
    read_policy(w, config_setting_get_elem(ps, (unsigned)q), q, err);
  for (size_t q = 1; q < w->n_policies; q++)
    for (size_t x = 0; x < q; x++)
      if (w->policies[q].name[0] && !strcmp(w->policies[q].name, w->policies[x].name))
        scn_errors_add(err, "%s:%u: sweep.policies.[%zu].name: duplicate name \"%s\"", w->file,
                       w->policies[q].line, q, w->policies[q].name);
}

/* ---------------------------------------------------------------- designs */

static size_t levels_of(const sweep *w, size_t i)
{
  const sweep_param *pr = &w->params[i];
  return pr->is_range ? (size_t)w->levels : pr->n_values;
}

/* grid: the level index of each parameter, the last varying fastest. */
static void design_grid(const sweep *w, double *u)
{
  size_t P = w->n_points, n = w->n_params;
  for (size_t p = 0; p < P; p++) {
    size_t rem = p;
    for (size_t i = n; i-- > 0;) {
      size_t L = levels_of(w, i);
      u[p * n + i] = (double)(rem % L);
      rem /= L;
    }
  }
}

/* sobol: GSL's Sobol sequence in n dimensions. */
static int design_sobol(const sweep *w, double *u)
{
  size_t P = w->n_points, n = w->n_params;
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)n);
  if (!q)
    return -1;
  for (size_t p = 0; p < P; p++)
    gsl_qrng_get(q, u + p * n);
  gsl_qrng_free(q);
  return 0;
}

/* saltelli: A_j, B_j and AB_j^(i) from a 2n-dimensional Sobol point. */
static int design_saltelli(const sweep *w, double *u)
{
  size_t P = w->n_points, n = w->n_params;
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * n));
  double ab[2 * SWEEP_MAX_SALTELLI];
  if (!q)
    return -1;
  for (size_t j = 0; j < P / (n + 2); j++) {
    gsl_qrng_get(q, ab);
    double *row = u + j * (n + 2) * n;
    memcpy(row, ab, n * sizeof *ab);         /* A_j */
    memcpy(row + n, ab + n, n * sizeof *ab); /* B_j */
    for (size_t i = 0; i < n; i++) {         /* AB_j^(i) */
      double *x = row + (2 + i) * n;
      memcpy(x, ab, n * sizeof *ab);
      x[i] = ab[n + i];
    }
  }
  gsl_qrng_free(q);
  return 0;
}

/* morris: trajectories on the grid of `levels` levels (r seeded). */
static void design_morris(const sweep *w, gsl_rng *r, double *u)
{
  size_t P = w->n_points, n = w->n_params;
  size_t L = (size_t)w->levels, order[SWEEP_MAX_PARAMS];
  double delta = (double)L / (2.0 * (double)(L - 1));
  for (size_t t = 0; t < P / (n + 1); t++) {
    double *x = u + t * (n + 1) * n;
    for (size_t i = 0; i < n; i++) {
      x[i] = (double)gsl_rng_uniform_int(r, L) / (double)(L - 1);
      order[i] = i;
    }
    gsl_ran_shuffle(r, order, n, sizeof *order);
    for (size_t m = 0; m < n; m++) {
      double *next = x + n;
      memcpy(next, x, n * sizeof *x);
      size_t i = order[m];
      double step = gsl_rng_uniform(r) < 0.5 ? delta : -delta;
      if (next[i] + step > 1.0 + 1e-12 || next[i] + step < -1e-12)
        step = -step;
      /* snap to the grid, so that the ends are exact */
      next[i] = nearbyint((next[i] + step) * (double)(L - 1)) / (double)(L - 1);
      x = next;
    }
  }
}

int sweep_design_points(const sweep *w, double *u)
{
  size_t P = w->n_points, n = w->n_params;
  if (w->design == DESIGN_GRID) {
    design_grid(w, u);
    return 0;
  }
  if (w->design == DESIGN_SOBOL)
    return design_sobol(w, u);
  if (w->design == DESIGN_SALTELLI)
    return design_saltelli(w, u);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  size_t *perm = w->design == DESIGN_LHS ? malloc(P * sizeof *perm) : NULL;
  if (!r || (w->design == DESIGN_LHS && !perm)) {
    gsl_rng_free(r);
    free(perm);
    return -1;
  }
  rng_gsl_seed(r, (uint64_t)w->seed, RNG_SWEEP);
  if (w->design == DESIGN_MORRIS) {
    design_morris(w, r, u);
    gsl_rng_free(r);
    return 0;
  }
  if (w->design == DESIGN_RANDOM) {
    for (size_t p = 0; p < P; p++)
      for (size_t i = 0; i < n; i++)
        u[p * n + i] = gsl_rng_uniform(r);
  } else {
    for (size_t i = 0; i < n; i++) {
      for (size_t p = 0; p < P; p++)
        perm[p] = p;
      if (P > 1)
        gsl_ran_shuffle(r, perm, P, sizeof *perm);
      for (size_t p = 0; p < P; p++)
        u[p * n + i] = ((double)perm[p] + gsl_rng_uniform(r)) / (double)P;
    }
  }
  free(perm);
  gsl_rng_free(r);
  return 0;
}

/* A literal's text in the CSV: a string without its quotes, a whole number
 * without its L. */
static void cell_of(const char *lit, char *cell)
{
  size_t n = strlen(lit);
  if (lit[0] == '"')
    snprintf(cell, SWEEP_CELL_LEN, "%.*s", (int)n - 2, lit + 1);
  else
    snprintf(cell, SWEEP_CELL_LEN, "%.*s", n && lit[n - 1] == 'L' ? (int)n - 1 : (int)n, lit);
}

/* The value of parameter i at design coordinate u, as literal and text. */
static void value_at(const sweep *w, size_t i, double u, char *lit, char *cell)
{
  const sweep_param *pr = &w->params[i];
  int grid = w->design == DESIGN_GRID;
  if (!pr->is_range) {
    size_t k = grid ? (size_t)u : (size_t)floor(u * (double)pr->n_values);
    if (k >= pr->n_values)
      k = pr->n_values - 1;
    memcpy(lit, pr->values[k], SWEEP_CELL_LEN);
    cell_of(lit, cell);
    return;
  }
  double x;
  if (grid) {
    size_t k = (size_t)u, L = (size_t)w->levels;
    double f = L > 1 ? (double)k / (double)(L - 1) : 0.0;
    if (k == 0)
      x = pr->min;
    else if (k + 1 == L)
      x = pr->max; /* ends exactly */
    else
      x = pr->is_log ? exp(log(pr->min) + f * (log(pr->max) - log(pr->min)))
                     : pr->min + f * (pr->max - pr->min);
  } else if (u >= 1.0) {
    x = pr->max; /* morris reaches the top level: exactly */
  } else if (u <= 0.0) {
    x = pr->min;
  } else {
    x = pr->is_log ? exp(log(pr->min) + u * (log(pr->max) - log(pr->min)))
                   : pr->min + u * (pr->max - pr->min);
  }
  if (pr->is_int) {
    x = nearbyint(x);
    snprintf(lit, SWEEP_CELL_LEN, "%.0f%s", x, fabs(x) > 2147483647.0 ? "L" : "");
  } else {
    out_double(lit, SWEEP_CELL_LEN - 2, x);
    if (!strpbrk(lit, ".eEn"))
      strcat(lit, ".0");
  }
  cell_of(lit, cell);
}

static int build_points(sweep *w, scn_errors *err)
{
  size_t n = w->n_params;
  if (w->design == DESIGN_GRID) {
    double total = 1;
    for (size_t i = 0; i < n; i++)
      total *= (double)levels_of(w, i);
    if (total > SWEEP_MAX_POINTS) {
      scn_errors_add(err, "%s: sweep: the grid has %.0f points; at most %d", w->file, total,
                     SWEEP_MAX_POINTS);
      return -1;
    }
    w->n_points = (size_t)total;
  } else if (w->design == DESIGN_SALTELLI || w->design == DESIGN_MORRIS) {
    size_t per = n + (w->design == DESIGN_SALTELLI ? 2 : 1);
    if ((double)w->points * (double)per > SWEEP_MAX_POINTS) {
      scn_errors_add(err, "%s: sweep: %ld %s x %zu = %.0f points; at most %d", w->file, w->points,
                     w->design == DESIGN_SALTELLI ? "base samples" : "trajectories", per,
                     (double)w->points * (double)per, SWEEP_MAX_POINTS);
      return -1;
    }
    w->n_points = (size_t)w->points * per;
  } else {
    w->n_points = (size_t)w->points;
  }
  double *u = malloc(w->n_points * n * sizeof *u);
  w->lit = malloc(w->n_points * n * sizeof *w->lit);
  w->cell = malloc(w->n_points * n * sizeof *w->cell);
  if (!u || !w->lit || !w->cell || sweep_design_points(w, u) != 0) {
    free(u);
    scn_errors_add(err, "%s: sweep: out of memory for %zu points", w->file, w->n_points);
    return -1;
  }
  for (size_t p = 0; p < w->n_points; p++)
    for (size_t i = 0; i < n; i++)
      value_at(w, i, u[p * n + i], w->lit[p * n + i], w->cell[p * n + i]);
  free(u);
  return 0;
}

int sweep_load(const char *file, sweep *w, scn_errors *err)
{
  memset(w, 0, sizeof *w);
  err->count = 0;
  char *text = scenario_read_text(file, err);
  if (!text)
    return 2;
  int rc = sweep_load_text(text, file, w, err);
  free(text);
  return rc;
}

int sweep_load_text(const char *text, const char *file, sweep *w, scn_errors *err)
{
  memset(w, 0, sizeof *w);
  err->count = 0;
  snprintf(w->file, sizeof w->file, "%s", file);
  config_t c;
  config_init(&c);
  if (scenario_parse_text(&c, text, file, err) != 0) {
    config_destroy(&c);
    return 2;
  }
  config_setting_t *g = scn_lookup(&c, "sweep");
  if (!g || !config_setting_is_group(g)) {
    if (g)
      scn_errors_add(err, "%s:%u: sweep: must be a group sweep: { ... }", file, line_of(g));
    else
      scn_errors_add(err, "%s: sweep: required: a group sweep: { ... }", file);
    config_destroy(&c);
    return 2;
  }
  /* Defaults into the tree (levels by the design, the name from the file),
   * then the scalar keys by the key table. */
  const char *design = NULL;
  config_setting_lookup_string(g, "design", &design);
  int morris = design && !strcmp(design, "morris");
  scn_fill_group(g, sweep_keys);
  if (!scn_member(g, "levels"))
    config_setting_set_int(config_setting_add(g, "levels", CONFIG_TYPE_INT), morris ? 4 : 5);
  if (!scn_member(g, "name")) {
    char name[SCN_NAME_LEN];
    scenario_name_from_file(file, "sweep", name, sizeof name);
    config_setting_set_string(config_setting_add(g, "name", CONFIG_TYPE_STRING), name);
  }
  scn_ctx ctx = {.file = file, .err = err};
  scn_extract_group(&ctx, g, sweep_keys, (char *)w);
  const char *scn = get_string(w, g, "scenario", "sweep", err);
  if (scn && *scn) {
    const char *slash = strrchr(file, '/');
    if (scn[0] == '/' || !slash)
      snprintf(w->scenario, sizeof w->scenario, "%s", scn);
    else
      snprintf(w->scenario, sizeof w->scenario, "%.*s/%s", (int)(slash - file), file, scn);
  }
  const config_setting_t *ps = scn_member(g, "parameters");
  if (!ps || !config_setting_is_list(ps) || config_setting_length(ps) < 1 ||
      config_setting_length(ps) > SWEEP_MAX_PARAMS) {
    scn_errors_add(
        err,
        "%s:%u: sweep.parameters: required: a list ( { path = ...; ... }, ... ) of 1 to %d "
        "parameters",
        file, ps ? line_of(ps) : line_of(g), SWEEP_MAX_PARAMS);
  } else {
    w->n_params = (size_t)config_setting_length(ps);
    for (size_t i = 0; i < w->n_params; i++)
      read_param(w, config_setting_get_elem(ps, (unsigned)i), i, err);
    for (size_t i = 0; i < w->n_params; i++)
      for (size_t j = 0; j < i; j++)
        if (w->params[i].path[0] && !strcmp(w->params[i].path, w->params[j].path))
          scn_errors_add(err, "%s:%u: sweep.parameters.[%zu].path: \"%s\" is swept twice", file,
                         w->params[i].line, i, w->params[i].path);
  }
  if (w->design == DESIGN_MORRIS && w->levels % 2)
    scn_errors_add(err,
                   "%s:%u: sweep.levels: morris needs an even number of levels (got %ld), so that "
                   "a step of levels / (2 (levels - 1)) stays on the grid",
                   file, line_of(scn_member(g, "levels")), w->levels);
  if (w->design == DESIGN_SALTELLI) {
    if (w->n_params > SWEEP_MAX_SALTELLI)
      scn_errors_add(err, "%s:%u: sweep.parameters: saltelli takes at most %d parameters (got %zu)",
                     file, line_of(ps), SWEEP_MAX_SALTELLI, w->n_params);
    for (size_t i = 0; i < w->n_params; i++)
      if (!w->params[i].is_range && w->params[i].path[0])
        scn_errors_add(err,
                       "%s:%u: sweep.parameters.[%zu]: saltelli sweeps ranges only (min and max), "
                       "not a list of values",
                       file, w->params[i].line, i);
  }
  read_policies(w, g, err);
  const config_setting_t *scn_key = scn_member(g, "scenario");
  unsigned scn_line = scn_key ? line_of(scn_key) : line_of(g);
  config_destroy(&c);
  w->text = strdup(text);
  if (!w->text)
    scn_errors_add(err, "%s: sweep: out of memory", file);
  /* The scenario is read once: every point loads this text, so a file
   * edited during a sweep changes none of it. */
  if (err->count == 0 && w->scenario[0]) {
    scn_errors read_err = {0};
    w->scenario_text = scenario_read_text(w->scenario, &read_err);
    if (!w->scenario_text)
      scn_errors_add(err, "%s:%u: sweep.scenario: %s", file, scn_line, read_err.msg[0]);
  }
  if (err->count == 0)
    build_points(w, err);
  return err->count ? 2 : 0;
}

/* ------------------------------------------------------------ point scenario */

int sweep_point_scenario(const sweep *w, size_t p, size_t q, const scn_overrides *cli, scenario *s,
                         char **resolved, scn_errors *err)
{
  const sweep_policy *po = &w->policies[q];
  size_t n_cli = cli ? cli->n_sets : 0, n_pol = po->n_sets;
  size_t n = n_cli + w->n_params + n_pol + 2;
  const char **sets = malloc(n * sizeof *sets);
  char(*buf)[SWEEP_CELL_LEN + 200] = malloc((w->n_params + 2) * sizeof *buf);
  if (!sets || !buf) {
    free(sets);
    free(buf);
    return 1;
  }
  for (size_t i = 0; i < n_cli; i++)
    sets[i] = cli->sets[i];
  for (size_t i = 0; i < w->n_params; i++) {
    snprintf(buf[i], sizeof buf[i], "%s=%s", w->params[i].path, w->lit[p * w->n_params + i]);
    sets[n_cli + i] = buf[i];
  }
  for (size_t i = 0; i < n_pol; i++)
    sets[n_cli + w->n_params + i] = po->sets[i];
  snprintf(buf[w->n_params], sizeof buf[0], "seed=%" PRIu64 "L", w->seed);
  snprintf(buf[w->n_params + 1], sizeof buf[0], "replications=%ld", w->replications);
  sets[n - 2] = buf[w->n_params];
  sets[n - 1] = buf[w->n_params + 1];
  scn_overrides ov = {.sets = sets, .n_sets = n};
  int rc = w->scenario_text
               ? scenario_load_string(w->scenario_text, w->scenario, &ov, s, resolved, err)
               : scenario_load(NULL, &ov, s, resolved, err);
  /* Point the problems at the sweep file: "--set:N:" of a parameter or a
   * policy becomes its line there, anything else gets the point appended. */
  size_t kept = err->count < SCN_MAX_ERRORS ? err->count : SCN_MAX_ERRORS;
  size_t first_pol = n_cli + w->n_params;
  for (size_t e = 0; rc != 0 && e < kept; e++) {
    char *msg = err->msg[e], copy[sizeof err->msg[0]];
    size_t k;
    int used, w_len; /* the return values are read: a long message is cut */
    if (sscanf(msg, "--set:%zu:%n", &k, &used) == 1 && k > n_cli && k <= first_pol) {
      const sweep_param *pr = &w->params[k - n_cli - 1];
      w_len =
          snprintf(copy, sizeof copy, "%.100s:%u: parameters.[%zu] (%.60s = %.40s), point %zu:%s",
                   w->file, pr->line, k - n_cli - 1, pr->path,
                   w->lit[p * w->n_params + k - n_cli - 1], p, msg + used);
    } else if (sscanf(msg, "--set:%zu:%n", &k, &used) == 1 && k > first_pol &&
               k <= first_pol + n_pol) {
      w_len = snprintf(copy, sizeof copy, "%.100s:%u: policies.[%zu] (%s), point %zu:%s", w->file,
                       po->line, q, po->name, p, msg + used);
    } else if (w->n_policies > 1 || po->line) {
      w_len = snprintf(copy, sizeof copy, "%s (sweep point %zu, policy %s)", msg, p, po->name);
    } else {
      w_len = snprintf(copy, sizeof copy, "%s (sweep point %zu)", msg, p);
    }
    (void)w_len;
    memcpy(msg, copy, sizeof copy);
  }
  free(sets);
  free(buf);
  return rc;
}
