/* scenario: libconfig in, a checked `scenario` struct out.
 *
 * Loading runs in four passes over one libconfig tree:
 *   1. read the file (libconfig reports syntax errors with their line);
 *   2. resolve: add every missing key with its default from the schema, the
 *      default market and segment when the file gives none;
 *   3. apply --set overrides to the resolved tree (a path must exist);
 *   4. extract: walk the tree with the schema, checking type and range of
 *      every value and resolving names to indices, then the rules that tie
 *      keys together.  All problems are collected, not just the first.
 * The resolved tree is also what scenario.cfg is written from, so a run of
 * that file alone reproduces the results. */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "output.h"
#include "schema.h"

#define MAX_SETS 256
#define PATH_LEN 160

typedef struct {
  const char *file; /* name used in messages */
  scn_errors *err;
  scenario *scn;
  config_setting_t *set_at[MAX_SETS]; /* setting written by --set number i */
  size_t n_sets;
} ctx;

/* ------------------------------------------------------------------ errors */

static void path_of(const config_setting_t *s, char *buf, size_t n)
{
  const config_setting_t *chain[32];
  size_t depth = 0;
  for (; s && config_setting_parent(s) && depth < 32; s = config_setting_parent(s))
    chain[depth++] = s;
  size_t used = 0;
  buf[0] = '\0';
  while (depth-- > 0 && used < n) {
    const config_setting_t *c = chain[depth];
    const char *name = config_setting_name(c);
    int w =
        name ? snprintf(buf + used, n - used, "%s%s", used ? "." : "", name)
             : snprintf(buf + used, n - used, "%s[%d]", used ? "." : "", config_setting_index(c));
    if (w < 0)
      break;
    used += (size_t)w;
  }
}

static void add_error(scn_errors *err, const char *fmt, ...)
{
  if (err->count < SCN_MAX_ERRORS) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg[err->count], sizeof err->msg[0], fmt, ap);
    va_end(ap);
  }
  err->count++;
}

/* Report a problem with setting s (or with key `key` missing in group s). */
static void fail(ctx *c, const config_setting_t *s, const char *key, const char *fmt, ...)
{
  char path[PATH_LEN], what[200];
  path_of(s, path, sizeof path);
  if (key) {
    size_t len = strlen(path);
    snprintf(path + len, sizeof path - len, "%s%s", len ? "." : "", key);
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  for (size_t i = 0; i < c->n_sets; i++)
    if (s && c->set_at[i] == s) {
      add_error(c->err, "--set:%zu: %s: %s", i + 1, path, what);
      return;
    }
  unsigned line = 0;
  for (const config_setting_t *p = s; p && line == 0; p = config_setting_parent(p))
    line = config_setting_source_line(p);
  add_error(c->err, "%s:%u: %s: %s", c->file, line, path[0] ? path : "(top)", what);
}

void scn_errors_print(const scn_errors *err, FILE *f)
{
  size_t kept = err->count < SCN_MAX_ERRORS ? err->count : SCN_MAX_ERRORS;
  for (size_t i = 0; i < kept; i++)
    fprintf(f, "%s\n", err->msg[i]);
  if (err->count > kept)
    fprintf(f, "... and %zu more problems\n", err->count - kept);
}

/* Edit distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63)
    return 64;
  size_t row[64];
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (row[j] + 1 < best)
        best = row[j] + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

static const char *suggest(const key_spec *table, const char *key)
{
  const char *best = NULL;
  size_t best_d = strlen(key) / 3 + 2;
  for (const key_spec *k = table; k->key; k++) {
    size_t d = edit_distance(key, k->key);
    if (d < best_d) {
      best_d = d;
      best = k->key;
    }
  }
  return best;
}

/* ------------------------------------------------------------ tree helpers */

static int is_number(const config_setting_t *s)
{
  int t = config_setting_type(s);
  return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static int is_integer(const config_setting_t *s)
{
  int t = config_setting_type(s);
  return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

static double number_of(const config_setting_t *s)
{
  return config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                                     : (double)config_setting_get_int64(s);
}

static int is_list(const config_setting_t *s)
{
  int t = config_setting_type(s);
  /* `()` is a list; an empty `[]` is read as an array and means the same. */
  return t == CONFIG_TYPE_LIST || (t == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0);
}

static void copy_setting(config_setting_t *parent, const config_setting_t *src)
{
  int t = config_setting_type(src);
  config_setting_t *d = config_setting_add(parent, config_setting_name(src), t);
  if (!d)
    return;
  switch (t) {
  case CONFIG_TYPE_INT:
    config_setting_set_int(d, config_setting_get_int(src));
    break;
  case CONFIG_TYPE_INT64:
    config_setting_set_int64(d, config_setting_get_int64(src));
    break;
  case CONFIG_TYPE_FLOAT:
    config_setting_set_float(d, config_setting_get_float(src));
    break;
  case CONFIG_TYPE_BOOL:
    config_setting_set_bool(d, config_setting_get_bool(src));
    break;
  case CONFIG_TYPE_STRING:
    config_setting_set_string(d, config_setting_get_string(src));
    break;
  default:
    for (int i = 0; i < config_setting_length(src); i++)
      copy_setting(d, config_setting_get_elem(src, (unsigned)i));
  }
}

static void add_int(config_setting_t *g, const char *key, long v)
{
  int big = v > 2147483647L || v < -2147483647L;
  config_setting_t *s = config_setting_add(g, key, big ? CONFIG_TYPE_INT64 : CONFIG_TYPE_INT);
  if (big)
    config_setting_set_int64(s, v);
  else
    config_setting_set_int(s, (int)v);
}

/* ---------------------------------------------------------------- resolve */

static void fill_group(config_setting_t *g, const key_spec *table);

static void fill_entries(config_setting_t *list, const key_spec *entry)
{
  for (int i = 0; i < config_setting_length(list); i++) {
    config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
    if (config_setting_is_group(e))
      fill_group(e, entry);
  }
}

/* Add every missing key of `table` to group g with its default. */
static void fill_group(config_setting_t *g, const key_spec *table)
{
  for (const key_spec *k = table; k->key; k++) {
    config_setting_t *s = config_setting_get_member(g, k->key);
    if (s) {
      if (k->kind == K_GROUP && config_setting_is_group(s))
        fill_group(s, k->sub);
      else if (k->kind == K_LIST && is_list(s))
        fill_entries(s, k->sub);
      continue;
    }
    if (k->flags & (F_REQUIRED | F_NOSET))
      continue;
    switch (k->kind) {
    case K_INT:
      add_int(g, k->key, (long)k->def);
      break;
    case K_FLOAT:
      config_setting_set_float(config_setting_add(g, k->key, CONFIG_TYPE_FLOAT), k->def);
      break;
    case K_BOOL:
      config_setting_set_bool(config_setting_add(g, k->key, CONFIG_TYPE_BOOL), k->def != 0);
      break;
    case K_NAME:
    case K_TEXT:
    case K_ENUM:
    case K_VENDOR:
    case K_HUB:
      config_setting_set_string(config_setting_add(g, k->key, CONFIG_TYPE_STRING),
                                k->sdef ? k->sdef : "");
      break;
    case K_VMAP:
    case K_UOVR:
      config_setting_add(g, k->key, CONFIG_TYPE_GROUP);
      break;
    case K_GROUP:
      fill_group(config_setting_add(g, k->key, CONFIG_TYPE_GROUP), k->sub);
      break;
    case K_LIST:
      config_setting_add(g, k->key, CONFIG_TYPE_LIST);
      break;
    }
  }
}

/* The derived defaults: name from the file, focal_hub the first hub,
 * initial_active = developers.  Set after --set unless given explicitly. */
static void derive_defaults(config_setting_t *root, const char *file, const int given[3])
{
  if (!given[0]) {
    char name[SCN_NAME_LEN] = "scenario";
    if (file) {
      const char *b = strrchr(file, '/');
      b = b ? b + 1 : file;
      size_t n = 0;
      for (; b[n] && b[n] != '.' && n + 1 < sizeof name; n++) {
        char ch = (char)tolower((unsigned char)b[n]);
        name[n] = (isalnum((unsigned char)ch) || ch == '_') ? ch : '_';
      }
      name[n] = '\0';
      if (n == 0)
        strcpy(name, "scenario");
    }
    config_setting_remove(root, "name");
    config_setting_set_string(config_setting_add(root, "name", CONFIG_TYPE_STRING), name);
  }
  if (!given[1]) {
    const config_setting_t *h = config_setting_get_member(root, "hubs");
    const char *first = NULL;
    if (h && is_list(h) && config_setting_length(h) > 0) {
      const config_setting_t *h0 = config_setting_get_elem(h, 0);
      if (config_setting_is_group(h0))
        config_setting_lookup_string(h0, "name", &first);
    }
    char copy[SCN_NAME_LEN];
    snprintf(copy, sizeof copy, "%s", first ? first : "");
    config_setting_remove(root, "focal_hub");
    config_setting_set_string(config_setting_add(root, "focal_hub", CONFIG_TYPE_STRING), copy);
  }
  if (!given[2]) {
    config_setting_t *p = config_setting_get_member(root, "population");
    config_setting_t *n =
        p && config_setting_is_group(p) ? config_setting_get_member(p, "developers") : NULL;
    if (n && is_integer(n)) {
      config_setting_remove(p, "initial_active");
      add_int(p, "initial_active", (long)config_setting_get_int64(n));
    }
  }
}

static int resolve(ctx *c, config_t *cfg, int given[3])
{
  config_setting_t *root = config_root_setting(cfg);
  given[0] = config_setting_get_member(root, "name") != NULL;
  given[1] = config_setting_get_member(root, "focal_hub") != NULL;
  const config_setting_t *pop = config_setting_get_member(root, "population");
  given[2] = pop && config_setting_is_group(pop) &&
             config_setting_get_member(pop, "initial_active") != NULL;

  config_t def;
  config_init(&def);
  if (!config_read_string(&def, schema_default_text)) {
    add_error(c->err, "%s:0: (built-in default): %s", c->file, config_error_text(&def));
    config_destroy(&def);
    return -1;
  }
  const config_setting_t *droot = config_root_setting(&def);
  const config_setting_t *v = config_setting_get_member(root, "vendors");
  const config_setting_t *h = config_setting_get_member(root, "hubs");
  const config_setting_t *e = config_setting_get_member(root, "events");
  if (!v && !h && !e) {
    copy_setting(root, config_setting_get_member(droot, "vendors"));
    copy_setting(root, config_setting_get_member(droot, "hubs"));
    copy_setting(root, config_setting_get_member(droot, "events"));
  } else {
    const config_setting_t *given_one = v ? v : h ? h : e;
    if (!v)
      fail(c, given_one, NULL, "a file that gives hubs or events must give vendors too");
    if (!h)
      fail(c, given_one, NULL, "a file that gives vendors or events must give hubs too");
  }
  if (!config_setting_get_member(root, "segments"))
    copy_setting(root, config_setting_get_member(droot, "segments"));
  config_destroy(&def);
  fill_group(root, schema_root);
  derive_defaults(root, c->file, given);
  return 0;
}

/* ------------------------------------------------------------------ --set */

/* Keys inside these groups are optional entries (absent means 0 or the
 * global value), so --set may add one; everywhere else every key already
 * exists after resolving and a missing path is an error. */
static int is_open_group(const config_setting_t *g)
{
  const char *n = config_setting_name(g);
  if (!n || !config_setting_is_group(g))
    return 0;
  if (!strcmp(n, "vendor_bias") || !strcmp(n, "tilt") || !strcmp(n, "subsidy"))
    return 1;
  return !strcmp(n, "utility") && config_setting_parent(g) &&
         !config_setting_is_root(config_setting_parent(g));
}

static int apply_set(ctx *c, config_t *cfg, const char *arg, size_t idx, int given[3])
{
  char path[PATH_LEN];
  const char *eq = strchr(arg, '=');
  size_t plen = eq ? (size_t)(eq - arg) : 0;
  if (!eq || plen == 0 || plen >= sizeof path) {
    add_error(c->err, "--set:%zu: %s: expected PATH=VALUE", idx + 1, arg);
    return -1;
  }
  memcpy(path, arg, plen);
  path[plen] = '\0';
  const char *value = eq + 1;

  config_setting_t *target = config_lookup(cfg, path);
  config_setting_t *parent = NULL;
  const char *key = NULL;
  if (target) {
    parent = config_setting_parent(target);
    key = config_setting_name(target);
    if (config_setting_is_aggregate(target) || !key) {
      add_error(c->err, "--set:%zu: %s: not a scalar key; --set changes one value", idx + 1, path);
      return -1;
    }
  } else {
    char *dot = strrchr(path, '.');
    if (dot) {
      *dot = '\0';
      parent = config_lookup(cfg, path);
      *dot = '.';
      key = dot + 1;
    }
    if (!parent || !is_open_group(parent) || !config_setting_is_group(parent)) {
      add_error(c->err, "--set:%zu: %s: no such key in the resolved scenario", idx + 1, path);
      return -1;
    }
  }

  /* A libconfig scalar; anything that does not parse is a bare-word string. */
  config_t tmp;
  config_init(&tmp);
  size_t blen = strlen(value) + 16;
  char *buf = malloc(blen);
  if (!buf) {
    config_destroy(&tmp);
    return -1;
  }
  snprintf(buf, blen, "v = %s;", value);
  const config_setting_t *parsed = NULL;
  if (config_read_string(&tmp, buf))
    parsed = config_lookup(&tmp, "v");
  free(buf);
  if (parsed && config_setting_is_aggregate(parsed)) {
    add_error(c->err, "--set:%zu: %s: the value must be a scalar", idx + 1, path);
    config_destroy(&tmp);
    return -1;
  }
  char keycopy[PATH_LEN];
  snprintf(keycopy, sizeof keycopy, "%s", key);
  for (size_t i = 0; i < idx; i++)
    if (c->set_at[i] && c->set_at[i] == target)
      c->set_at[i] = NULL; /* overridden again: that setting is freed below */
  if (target)
    config_setting_remove(parent, keycopy);
  config_setting_t *s;
  if (parsed) {
    s = config_setting_add(parent, keycopy, config_setting_type(parsed));
    switch (config_setting_type(parsed)) {
    case CONFIG_TYPE_INT:
      config_setting_set_int(s, config_setting_get_int(parsed));
      break;
    case CONFIG_TYPE_INT64:
      config_setting_set_int64(s, config_setting_get_int64(parsed));
      break;
    case CONFIG_TYPE_FLOAT:
      config_setting_set_float(s, config_setting_get_float(parsed));
      break;
    case CONFIG_TYPE_BOOL:
      config_setting_set_bool(s, config_setting_get_bool(parsed));
      break;
    default:
      config_setting_set_string(s, config_setting_get_string(parsed));
      break;
    }
  } else {
    s = config_setting_add(parent, keycopy, CONFIG_TYPE_STRING);
    config_setting_set_string(s, value);
  }
  config_destroy(&tmp);
  c->set_at[idx] = s;
  if (!strcmp(path, "name"))
    given[0] = 1;
  if (!strcmp(path, "focal_hub"))
    given[1] = 1;
  if (!strcmp(path, "population.initial_active"))
    given[2] = 1;
  return 0;
}

/* ---------------------------------------------------------------- extract */

static void range_check(ctx *c, const config_setting_t *s, const key_spec *k, double x)
{
  int lo_bad = (k->flags & F_LO_OPEN) ? !(x > k->lo) : !(x >= k->lo);
  int hi_bad = !(x <= k->hi);
  if (!lo_bad && !hi_bad)
    return;
  const char *op = (k->flags & F_LO_OPEN) ? ">" : ">=";
  char lo[40], hi[40], got[40];
  out_double(lo, sizeof lo, k->lo);
  out_double(hi, sizeof hi, k->hi);
  out_double(got, sizeof got, x);
  if (k->hi >= 1e300)
    fail(c, s, NULL, "must be %s %s (got %s)", op, lo, got);
  else if (k->lo <= -1e300)
    fail(c, s, NULL, "must be <= %s (got %s)", hi, got);
  else
    fail(c, s, NULL, "must be in %c%s, %s] (got %s)", (k->flags & F_LO_OPEN) ? '(' : '[', lo, hi,
         got);
}

static int name_ok(const char *v)
{
  if (!*v)
    return 0;
  for (; *v; v++)
    if (!(islower((unsigned char)*v) || isdigit((unsigned char)*v) || *v == '_'))
      return 0;
  return 1;
}

static int find_vendor(const scenario *s, const char *name)
{
  for (size_t j = 0; j < s->n_vendors; j++)
    if (!strcmp(s->vendors[j].name, name))
      return (int)j;
  return -1;
}

static int find_hub(const scenario *s, const char *name)
{
  for (size_t k = 0; k < s->n_hubs; k++)
    if (!strcmp(s->hubs[k].name, name))
      return (int)k;
  return -1;
}

static void extract_group(ctx *c, const config_setting_t *g, const key_spec *table, char *base,
                          const char *const *skip);

static void extract_scalar(ctx *c, const config_setting_t *s, const key_spec *k, char *field)
{
  switch (k->kind) {
  case K_INT:
    if (!is_integer(s)) {
      fail(c, s, NULL, is_number(s) ? "must be a whole number" : "must be a number");
      return;
    }
    range_check(c, s, k, (double)config_setting_get_int64(s));
    *(long *)field = (long)config_setting_get_int64(s);
    return;
  case K_FLOAT: {
    if (!is_number(s)) {
      fail(c, s, NULL, "must be a number");
      return;
    }
    double x = number_of(s);
    if (!isfinite(x)) {
      fail(c, s, NULL, "must be finite");
      return;
    }
    range_check(c, s, k, x);
    *(double *)field = x;
    return;
  }
  case K_BOOL:
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
      fail(c, s, NULL, "must be true or false");
    else
      *(int *)field = config_setting_get_bool(s);
    return;
  default:
    break;
  }
  if (config_setting_type(s) != CONFIG_TYPE_STRING) {
    fail(c, s, NULL, "must be a string in double quotes");
    return;
  }
  const char *v = config_setting_get_string(s);
  switch (k->kind) {
  case K_NAME:
    if (strlen(v) >= SCN_NAME_LEN)
      fail(c, s, NULL, "names are at most %d characters", SCN_NAME_LEN - 1);
    else if (!name_ok(v))
      fail(c, s, NULL, "names use only a-z, 0-9 and _ (got \"%s\")", v);
    else
      strcpy(field, v);
    return;
  case K_TEXT:
    if (strlen(v) >= SCN_TEXT_LEN)
      fail(c, s, NULL, "at most %d characters", SCN_TEXT_LEN - 1);
    else
      strcpy(field, v);
    return;
  case K_ENUM: {
    char list[200] = "";
    for (int i = 0; k->choices[i]; i++) {
      if (!strcmp(v, k->choices[i])) {
        *(int *)field = i;
        return;
      }
      size_t n = strlen(list);
      snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", k->choices[i]);
    }
    fail(c, s, NULL, "must be one of %s (got \"%s\")", list, v);
    return;
  }
  case K_VENDOR:
  case K_HUB: {
    int vendor = k->kind == K_VENDOR;
    if (!*v && (k->flags & F_EMPTY_OK)) {
      *(int *)field = -1;
      return;
    }
    int i = vendor ? find_vendor(c->scn, v) : find_hub(c->scn, v);
    if (i < 0)
      fail(c, s, NULL, "no %s named \"%s\"", vendor ? "vendor" : "hub", v);
    *(int *)field = i;
    return;
  }
  default:
    return;
  }
}

static void extract_vmap(ctx *c, const config_setting_t *g, const key_spec *k, double *field)
{
  for (size_t j = 0; j < SCN_MAX_VENDORS; j++)
    field[j] = 0.0;
  for (int i = 0; i < config_setting_length(g); i++) {
    const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
    int j = find_vendor(c->scn, config_setting_name(m));
    if (j < 0) {
      fail(c, m, NULL, "no vendor named \"%s\"", config_setting_name(m));
      continue;
    }
    key_spec num = *k;
    num.kind = K_FLOAT;
    extract_scalar(c, m, &num, (char *)&field[j]);
  }
}

static void extract_uovr(ctx *c, const config_setting_t *g, scn_utility *u)
{
  for (int i = 0; i < config_setting_length(g); i++) {
    const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
    const char *n = config_setting_name(m);
    const key_spec *k = schema_find(schema_utility_coefs, n);
    if (k)
      extract_scalar(c, m, k, (char *)u + k->off);
    else if (!strcmp(n, "temperature") || strstr(n, "_form"))
      fail(c, m, NULL, "is global: set it in utility, not per segment");
    else {
      const char *best = suggest(schema_utility_coefs, n);
      fail(c, m, NULL, best ? "unknown key (did you mean \"%s\"?)" : "unknown key%s",
           best ? best : "");
    }
  }
}

static void check_unique_names(ctx *c, const config_setting_t *list, const char *base,
                               size_t stride, size_t n)
{
  for (size_t i = 1; i < n; i++)
    for (size_t j = 0; j < i; j++)
      if (base[i * stride] && !strcmp(base + i * stride, base + j * stride)) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        fail(c, config_setting_get_member(e, "name"), NULL,
             "duplicate name \"%s\" (also entry [%zu])", base + i * stride, j);
        break;
      }
}

static void extract_list(ctx *c, const config_setting_t *s, const key_spec *k, char *base)
{
  if (!is_list(s)) {
    fail(c, s, NULL, "must be a list ( { ... }, ... )");
    return;
  }
  size_t n = (size_t)config_setting_length(s);
  if (n > k->max) {
    fail(c, s, NULL, "at most %zu entries (got %zu)", k->max, n);
    n = k->max;
  }
  char *entries = base + k->off;
  memset(entries, 0, k->stride * k->max);
  for (size_t i = 0; i < n; i++) {
    const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
    if (!config_setting_is_group(e)) {
      fail(c, e, NULL, "must be a group { ... }");
      continue;
    }
    char *entry = entries + i * k->stride;
    if (k->sub == schema_find(schema_root, "segments")->sub) /* from the global utility */
      ((scn_segment *)entry)->u = c->scn->utility;
    extract_group(c, e, k->sub, entry, NULL);
  }
  *(size_t *)(base + k->count_off) = n;
  if (k->sub->kind == K_NAME)
    check_unique_names(c, s, entries, k->stride, n);
}

static void extract_one(ctx *c, const config_setting_t *g, const key_spec *k, char *base)
{
  const config_setting_t *s = config_setting_get_member(g, k->key);
  if (!s) {
    fail(c, g, k->key, "required key is missing");
    return;
  }
  switch (k->kind) {
  case K_GROUP:
    if (!config_setting_is_group(s))
      fail(c, s, NULL, "must be a group { ... }");
    else
      extract_group(c, s, k->sub, base, NULL);
    break;
  case K_LIST:
    extract_list(c, s, k, base);
    break;
  case K_VMAP:
    if (!config_setting_is_group(s))
      fail(c, s, NULL, "must be a group { vendor = value; ... }");
    else
      extract_vmap(c, s, k, (double *)(base + k->off));
    break;
  case K_UOVR:
    if (!config_setting_is_group(s))
      fail(c, s, NULL, "must be a group { key = value; ... }");
    else
      extract_uovr(c, s, (scn_utility *)(base + k->off));
    break;
  default:
    extract_scalar(c, s, k, base + k->off);
  }
}

static int in_list(const char *const *list, const char *key)
{
  for (; list && *list; list++)
    if (!strcmp(*list, key))
      return 1;
  return 0;
}

/* Extract group g by table into base, except the keys in skip. */
static void extract_group(ctx *c, const config_setting_t *g, const key_spec *table, char *base,
                          const char *const *skip)
{
  for (int i = 0; i < config_setting_length(g); i++) {
    const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
    const char *n = config_setting_name(m);
    if (!schema_find(table, n)) {
      const char *best = suggest(table, n);
      fail(c, m, NULL, best ? "unknown key (did you mean \"%s\"?)" : "unknown key%s",
           best ? best : "");
    }
  }
  for (const key_spec *k = table; k->key; k++)
    if (!in_list(skip, k->key))
      extract_one(c, g, k, base);
}

/* ------------------------------------------------------------ cross checks */

static const config_setting_t *at(const config_t *cfg, const char *path)
{
  return config_lookup(cfg, path);
}

static int is_log_form(peer_form f)
{
  return f == FORM_LOG_SHARE || f == FORM_LOG_COUNT;
}

static void cross_check(ctx *c, const config_t *cfg)
{
  scenario *s = c->scn;
  char p[PATH_LEN];
  if (s->initial_active > s->developers)
    fail(c, at(cfg, "population.initial_active"), NULL, "must be <= population.developers (%ld)",
         s->developers);
  if (s->network != NET_MEAN_FIELD) {
    const config_setting_t *d = at(cfg, "network.degree");
    if (s->degree >= s->developers)
      fail(c, d, NULL, "must be < population.developers (%ld) for a %s graph", s->developers,
           scenario_net_name(s->network));
    else if (s->network == NET_RANDOM_REGULAR && (s->degree < 1 || (s->developers * s->degree) % 2))
      fail(c, d, NULL, "random_regular needs degree >= 1 and developers * degree even");
    else if (s->network != NET_RANDOM_REGULAR && (s->degree < 2 || s->degree % 2))
      fail(c, d, NULL, "%s needs an even degree >= 2 (got %ld)", scenario_net_name(s->network),
           s->degree);
  }
  int any_start = 0;
  for (size_t k = 0; k < s->n_hubs; k++) {
    const scn_hub *h = &s->hubs[k];
    any_start |= h->launch == LAUNCH_START;
    if (h->launch == LAUNCH_ON_DECLINE && h->initial_share > 0) {
      snprintf(p, sizeof p, "hubs.[%zu].initial_share", k);
      fail(c, at(cfg, p), NULL, "must be 0 for a hub that launches on_decline");
    }
  }
  if (s->n_hubs > 0 && !any_start)
    fail(c, at(cfg, "hubs"), NULL, "at least one hub must have launch = \"start\"");
  if (s->n_vendors == 0)
    fail(c, at(cfg, "vendors"), NULL, "needs at least one vendor");
  if (s->n_hubs == 0)
    fail(c, at(cfg, "hubs"), NULL, "needs at least one hub");
  if (s->n_segments == 0)
    fail(c, at(cfg, "segments"), NULL, "needs at least one segment");
  double wsum = 0;
  for (size_t i = 0; i < s->n_segments; i++)
    wsum += s->segments[i].weight;
  if (s->n_segments > 0 && !(wsum > 0))
    fail(c, at(cfg, "segments"), NULL, "the segments' weights sum to 0");
  for (size_t i = 0; i < s->n_events; i++) {
    const scn_event *e = &s->events[i];
    if (s->steps >= 1 && e->step >= s->steps) { /* steps itself may be the problem */
      snprintf(p, sizeof p, "events.[%zu].step", i);
      fail(c, at(cfg, p), NULL, "must be < steps (%ld)", s->steps);
    }
    if (e->rival_hub >= 0) {
      const scn_hub *r = &s->hubs[e->rival_hub];
      snprintf(p, sizeof p, "events.[%zu].rival_hub", i);
      if (r->launch != LAUNCH_ON_DECLINE)
        fail(c, at(cfg, p), NULL, "hub \"%s\" must have launch = \"on_decline\"", r->name);
      else if (r->owner < 0)
        fail(c, at(cfg, p), NULL, "hub \"%s\" must have an owner", r->name);
    }
  }
  const struct {
    const char *path;
    peer_form form;
    size_t off;
  } nets[2] = {{"vendor_network", s->vendor_form, offsetof(scn_utility, vendor_network)},
               {"hub_network", s->hub_form, offsetof(scn_utility, hub_network)}};
  for (int n = 0; n < 2; n++) {
    if (!is_log_form(nets[n].form))
      continue;
    if (*(const double *)((const char *)&s->utility + nets[n].off) < 0) {
      snprintf(p, sizeof p, "utility.%s", nets[n].path);
      fail(c, at(cfg, p), NULL, "must be >= 0 with a log_* form");
    }
    for (size_t i = 0; i < s->n_segments; i++) {
      snprintf(p, sizeof p, "segments.[%zu].utility.%s", i, nets[n].path);
      const config_setting_t *o = at(cfg, p);
      if (o && *(const double *)((const char *)&s->segments[i].u + nets[n].off) < 0)
        fail(c, o, NULL, "must be >= 0 with a log_* form");
    }
  }
}

/* ------------------------------------------------------------------- load */

const char *scenario_net_name(net_type t)
{
  static const char *const names[] = {"mean_field", "random_regular", "small_world", "scale_free"};
  return names[t];
}

static int load(config_t *cfg, const char *file, const scn_overrides *ov, scenario *s,
                char **resolved, scn_errors *err)
{
  ctx c = {.file = file, .err = err, .scn = s};
  int given[3];
  config_set_auto_convert(cfg, 0);
  if (resolve(&c, cfg, given) != 0 || err->count)
    return 2;
  size_t n_sets = ov ? ov->n_sets : 0;
  if (n_sets > MAX_SETS) {
    add_error(err, "--set: at most %d overrides", MAX_SETS);
    return 2;
  }
  c.n_sets = n_sets;
  for (size_t i = 0; i < n_sets; i++)
    apply_set(&c, cfg, ov->sets[i], i, given);
  derive_defaults(config_root_setting(cfg), file, given);
  if (err->count)
    return 2;

  memset(s, 0, sizeof *s);
  const config_setting_t *root = config_root_setting(cfg);
  static const char *const early[] = {"vendors", "hubs", "utility", NULL};
  for (const char *const *e = early; *e; e++)
    extract_one(&c, root, schema_find(schema_root, *e), (char *)s);
  extract_group(&c, root, schema_root, (char *)s, early);
  cross_check(&c, cfg);
  if (err->count)
    return 2;

  if (resolved) {
    size_t len = 0;
    FILE *f = open_memstream(resolved, &len);
    if (!f)
      return 1;
    fprintf(f, "# lockin %s: resolved scenario (every default written out)\n", LOCKIN_VERSION);
    schema_write(f, root);
    fclose(f);
  }
  return 0;
}

int scenario_load_string(const char *text, const char *file, const scn_overrides *ov, scenario *s,
                         char **resolved, scn_errors *err)
{
  config_t cfg;
  config_init(&cfg);
  err->count = 0;
  if (resolved)
    *resolved = NULL;
  int rc;
  if (!config_read_string(&cfg, text)) {
    add_error(err, "%s:%d: (syntax): %s", file, config_error_line(&cfg), config_error_text(&cfg));
    rc = 2;
  } else {
    rc = load(&cfg, file, ov, s, resolved, err);
  }
  config_destroy(&cfg);
  return rc;
}

int scenario_load(const char *file, const scn_overrides *ov, scenario *s, char **resolved,
                  scn_errors *err)
{
  err->count = 0;
  if (!file)
    return scenario_load_string(schema_default_text, "(default)", ov, s, resolved, err);
  FILE *f = fopen(file, "rb");
  if (!f) {
    add_error(err, "%s:0: (file): cannot read: %s", file, strerror(errno));
    return 2;
  }
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  char buf[8192];
  size_t n;
  while (m && (n = fread(buf, 1, sizeof buf, f)) > 0)
    fwrite(buf, 1, n, m);
  int bad = ferror(f);
  fclose(f);
  if (m)
    fclose(m);
  if (!m || bad || memchr(text, '\0', len)) {
    add_error(err, "%s:0: (file): %s", file, bad ? "read error" : "not a text file");
    free(text);
    return 2;
  }
  int rc = scenario_load_string(text, file, ov, s, resolved, err);
  free(text);
  return rc;
}
