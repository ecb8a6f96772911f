/* scenario_resolve: messages, libconfig tree helpers, filling in defaults
 * and applying --set overrides (passes 2 and 3 of scenario.c's load). */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"
#include "schema.h"
#include "signals.h"

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

void scn_errors_add(scn_errors *err, const char *fmt, ...)
{
  if (err->count < SCN_MAX_ERRORS) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg[err->count], sizeof err->msg[0], fmt, ap);
    va_end(ap);
  }
  err->count++;
}

/* "FILE:LINE: PATH: what" (or "--set:N: PATH: what") for setting s, or
 * for its missing `key`, into buf. */
static void locate(const scn_ctx *c, const config_setting_t *s, const char *key, const char *what,
                   char *buf, size_t n)
{
  char path[PATH_LEN];
  path_of(s, path, sizeof path);
  if (key) {
    size_t len = strlen(path);
    snprintf(path + len, sizeof path - len, "%s%s", len ? "." : "", key);
  }
  for (size_t i = 0; i < c->n_sets; i++)
    if (s && c->set_at[i] == s) {
      snprintf(buf, n, "--set:%zu: %s: %s", i + 1, path, what);
      return;
    }
  static const char *const typed[2] = {"-r", "-s"};
  for (int i = 0; i < 2; i++)
    if (s && c->typed_at[i] == s) {
      snprintf(buf, n, "%s: %s: %s", typed[i], path, what);
      return;
    }
  unsigned line = 0;
  for (const config_setting_t *p = s; p && line == 0; p = config_setting_parent(p))
    line = config_setting_source_line(p);
  /* Line 0: a default filled in, not written in the file. */
  if (line)
    snprintf(buf, n, "%s:%u: %s: %s", c->file, line, path[0] ? path : "(top)", what);
  else
    snprintf(buf, n, "%s: %s: %s", c->file, path[0] ? path : "(top)", what);
}

/* Report a problem with setting s (or with key `key` missing in group s). */
void scn_fail(scn_ctx *c, const config_setting_t *s, const char *key, const char *fmt, ...)
{
  char what[200], line[320];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  locate(c, s, key, what, line, sizeof line);
  scn_errors_add(c->err, "%s", line);
}

void scn_warn(scn_ctx *c, const config_setting_t *s, const char *fmt, ...)
{
  char what[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  scn_errors *e = c->err;
  if (e->n_warnings < SCN_MAX_WARNINGS)
    locate(c, s, NULL, what, e->warning[e->n_warnings], sizeof e->warning[0]);
  e->n_warnings++;
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

/* The closest of n words to key, if close enough to be a typo. */
static const char *closest(const char *key, const char *(*word)(const void *, size_t),
                           const void *set, size_t n)
{
  const char *best = NULL;
  size_t best_d = strlen(key) / 3 + 2;
  for (size_t i = 0; i < n; i++) {
    size_t d = edit_distance(key, word(set, i));
    if (d < best_d) {
      best_d = d;
      best = word(set, i);
    }
  }
  return best;
}

static const char *spec_word(const void *set, size_t i)
{
  return ((const key_spec *)set)[i].key;
}

static const char *list_word(const void *set, size_t i)
{
  return ((const char *const *)set)[i];
}

const char *scn_suggest(const key_spec *table, const char *key)
{
  size_t n = 0;
  while (table[n].key)
    n++;
  return closest(key, spec_word, table, n);
}

const char *scenario_suggest(const char *const *words, const char *key)
{
  size_t n = 0;
  while (words[n])
    n++;
  return closest(key, list_word, words, n);
}

/* ------------------------------------------------------------ tree helpers */

config_setting_t *scn_member(const config_setting_t *g, const char *name)
{
  if (!g || !config_setting_is_group(g))
    return NULL;
  int n = config_setting_length(g);
  for (int i = 0; i < n; i++) {
    config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
    const char *en = config_setting_name(e);
    if (en && !strcmp(en, name))
      return e;
  }
  return NULL;
}

config_setting_t *scn_lookup(const config_t *cfg, const char *path)
{
  config_setting_t *s = config_root_setting(cfg);
  char part[PATH_LEN];
  while (s && *path) {
    size_t len = strcspn(path, ".");
    if (len == 0 || len >= sizeof part)
      return NULL;
    memcpy(part, path, len);
    part[len] = '\0';
    if (part[0] == '[') {
      char *end;
      unsigned long i = strtoul(part + 1, &end, 10);
      if (end == part + 1 || strcmp(end, "]") || !config_setting_is_aggregate(s) ||
          i >= (unsigned long)config_setting_length(s))
        return NULL;
      s = config_setting_get_elem(s, (unsigned)i);
    } else {
      s = scn_member(s, part);
    }
    path += len + (path[len] == '.');
  }
  return s;
}

int scn_is_number(const config_setting_t *s)
{
  int t = config_setting_type(s);
  return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

int scn_is_integer(const config_setting_t *s)
{
  int t = config_setting_type(s);
  return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

double scn_number_of(const config_setting_t *s)
{
  return config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                                     : (double)config_setting_get_int64(s);
}

int scn_is_list(const config_setting_t *s)
{
  int t = config_setting_type(s);
  /* `()` is a list; an empty `[]` is read as an array and means the same. */
  return t == CONFIG_TYPE_LIST || (t == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0);
}

/* d takes the value of scalar src (same type). */
static void copy_scalar(config_setting_t *d, const config_setting_t *src)
{
  switch (config_setting_type(src)) {
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
  default:
    config_setting_set_string(d, config_setting_get_string(src));
    break;
  }
  config_setting_set_format(d, config_setting_get_format(src)); /* hex: unsigned bits */
}

static void copy_setting(config_setting_t *parent, const config_setting_t *src)
{
  int t = config_setting_type(src);
  config_setting_t *d = config_setting_add(parent, config_setting_name(src), t);
  if (!d)
    return;
  if (config_setting_is_aggregate(src))
    for (int i = 0; i < config_setting_length(src); i++)
      copy_setting(d, config_setting_get_elem(src, (unsigned)i));
  else
    copy_scalar(d, src);
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

/* An unsigned 64-bit value (a seed): above 2^63 - 1 as its bits, marked hex
 * so that it reads back unsigned. */
static void add_u64(config_setting_t *g, const char *key, uint64_t v)
{
  if (v <= 2147483647u) {
    add_int(g, key, (long)v);
    return;
  }
  config_setting_t *s = config_setting_add(g, key, CONFIG_TYPE_INT64);
  config_setting_set_int64(s, (long long)v);
  if (v > 9223372036854775807u)
    config_setting_set_format(s, CONFIG_FORMAT_HEX);
}

/* ---------------------------------------------------------------- resolve */

static void fill_entries(config_setting_t *list, const key_spec *entry)
{
  for (int i = 0; i < config_setting_length(list); i++) {
    config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
    if (config_setting_is_group(e))
      scn_fill_group(e, entry);
  }
}

/* Add every missing key of `table` to group g with its default. */
void scn_fill_group(config_setting_t *g, const key_spec *table)
{
  for (const key_spec *k = table; k->key; k++) {
    config_setting_t *s = scn_member(g, k->key);
    if (s) {
      if (k->kind == K_GROUP && config_setting_is_group(s))
        scn_fill_group(s, k->sub);
      else if (k->kind == K_LIST && scn_is_list(s))
        fill_entries(s, k->sub);
      continue;
    }
    if (k->flags & (F_REQUIRED | F_NOSET))
      continue;
    switch (k->kind) {
    case K_INT:
      add_int(g, k->key, (long)k->def);
      break;
    case K_U64:
      add_u64(g, k->key, (uint64_t)k->def);
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
    case K_VLIST:
      config_setting_add(g, k->key, CONFIG_TYPE_ARRAY);
      break;
    case K_GROUP:
      scn_fill_group(config_setting_add(g, k->key, CONFIG_TYPE_GROUP), k->sub);
      break;
    case K_LIST:
      config_setting_add(g, k->key, CONFIG_TYPE_LIST);
      break;
    case K_CALLER:
      break;
    }
  }
}

/* The derived defaults: name from the file, focal_hub the first hub,
 * initial_active = developers.  Set after --set unless given explicitly. */
void scn_derive_defaults(config_setting_t *root, const char *file, const int given[3])
{
  if (!given[0]) {
    char name[SCN_NAME_LEN];
    scenario_name_from_file(file, "scenario", name, sizeof name);
    config_setting_remove(root, "name");
    config_setting_set_string(config_setting_add(root, "name", CONFIG_TYPE_STRING), name);
  }
  if (!given[1]) {
    const config_setting_t *h = scn_member(root, "hubs");
    const char *first = NULL;
    if (h && scn_is_list(h) && config_setting_length(h) > 0) {
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
    config_setting_t *p = scn_member(root, "population");
    config_setting_t *n = p && config_setting_is_group(p) ? scn_member(p, "developers") : NULL;
    if (n && scn_is_integer(n)) {
      config_setting_remove(p, "initial_active");
      add_int(p, "initial_active", (long)config_setting_get_int64(n));
    }
  }
}

void scenario_name_from_file(const char *file, const char *fallback, char *name, size_t size)
{
  size_t n = 0;
  if (file) {
    const char *b = strrchr(file, '/');
    b = b ? b + 1 : file;
    for (; b[n] && b[n] != '.' && n + 1 < size; n++) {
      char ch = (char)tolower((unsigned char)b[n]);
      name[n] = (isalnum((unsigned char)ch) || ch == '_') ? ch : '_';
    }
  }
  name[n] = '\0';
  if (n == 0)
    snprintf(name, size, "%s", fallback);
}

/* The name of hub `name`'s owner in the tree ("" when none or unknown). */
static const char *owner_of(const config_setting_t *root, const char *name)
{
  const config_setting_t *hubs = scn_member(root, "hubs");
  for (int i = 0; hubs && scn_is_list(hubs) && i < config_setting_length(hubs); i++) {
    const config_setting_t *h = config_setting_get_elem(hubs, (unsigned)i);
    const char *n = NULL, *o = NULL;
    if (config_setting_is_group(h) && config_setting_lookup_string(h, "name", &n) && n &&
        !strcmp(n, name) && config_setting_lookup_string(h, "owner", &o) && o)
      return o;
  }
  return "";
}

/* A response's backers default to its hub's owner (none when it has none):
 * written into the tree after the overrides, so the resolved scenario says
 * what ran. */
void scn_derive_backers(config_setting_t *root)
{
  config_setting_t *events = scn_member(root, "events");
  for (int e = 0; events && scn_is_list(events) && e < config_setting_length(events); e++) {
    config_setting_t *ev = config_setting_get_elem(events, (unsigned)e);
    config_setting_t *rs = config_setting_is_group(ev) ? scn_member(ev, "responses") : NULL;
    for (int i = 0; rs && scn_is_list(rs) && i < config_setting_length(rs); i++) {
      config_setting_t *r = config_setting_get_elem(rs, (unsigned)i);
      const char *hub = NULL;
      if (!config_setting_is_group(r) || scn_member(r, "backers"))
        continue;
      if (!config_setting_lookup_string(r, "hub", &hub) || !hub)
        hub = "";
      char owner[SCN_NAME_LEN];
      snprintf(owner, sizeof owner, "%s", owner_of(root, hub));
      config_setting_t *b = config_setting_add(r, "backers", CONFIG_TYPE_ARRAY);
      if (b && owner[0])
        config_setting_set_string_elem(b, -1, owner);
    }
  }
}

int scn_resolve(scn_ctx *c, config_t *cfg, int given[3])
{
  config_setting_t *root = config_root_setting(cfg);
  given[0] = scn_member(root, "name") != NULL;
  given[1] = scn_member(root, "focal_hub") != NULL;
  const config_setting_t *pop = scn_member(root, "population");
  given[2] = pop && config_setting_is_group(pop) && scn_member(pop, "initial_active") != NULL;

  config_t def;
  config_init(&def);
  if (!config_read_string(&def, schema_default_text)) {
    scn_errors_add(c->err, "%s:0: (built-in default): %s", c->file, config_error_text(&def));
    config_destroy(&def);
    return -1;
  }
  const config_setting_t *droot = config_root_setting(&def);
  const config_setting_t *v = scn_member(root, "vendors");
  const config_setting_t *h = scn_member(root, "hubs");
  const config_setting_t *e = scn_member(root, "events");
  if (!v && !h && !e) {
    copy_setting(root, scn_member(droot, "vendors"));
    copy_setting(root, scn_member(droot, "hubs"));
    copy_setting(root, scn_member(droot, "events"));
  } else {
    const config_setting_t *given_one = v ? v : h ? h : e;
    if (!v)
      scn_fail(c, given_one, NULL, "a file that gives hubs or events must give vendors too");
    if (!h)
      scn_fail(c, given_one, NULL, "a file that gives vendors or events must give hubs too");
  }
  if (!scn_member(root, "segments"))
    copy_setting(root, scn_member(droot, "segments"));
  config_destroy(&def);
  scn_fill_group(root, schema_root);
  scn_derive_defaults(root, c->file, given);
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

void scn_apply_typed(scn_ctx *c, config_t *cfg, const scn_overrides *ov)
{
  config_setting_t *root = config_root_setting(cfg);
  const char *keys[2] = {"replications", "seed"};
  int use[2] = {ov && ov->replications > 0, ov && ov->has_seed};
  for (int i = 0; i < 2; i++) {
    if (!use[i])
      continue;
    for (size_t x = 0; x < c->n_sets; x++)
      if (c->set_at[x] && c->set_at[x] == scn_member(root, keys[i]))
        c->set_at[x] = NULL; /* that setting is freed below */
    config_setting_remove(root, keys[i]);
    if (i == 0)
      add_int(root, keys[i], ov->replications);
    else
      add_u64(root, keys[i], ov->seed);
    c->typed_at[i] = scn_member(root, keys[i]);
  }
}

int scenario_path_ok(const char *path)
{
  const char *c = path;
  for (;;) {
    if (*c == '[') {
      c++;
      if (*c == '0')
        c++;
      else if (*c >= '1' && *c <= '9')
        while (isdigit((unsigned char)*c))
          c++;
      else
        return 0;
      if (*c++ != ']')
        return 0;
    } else {
      const char *start = c;
      while ((*c >= 'a' && *c <= 'z') || isdigit((unsigned char)*c) || *c == '_')
        c++;
      if (c == start)
        return 0;
    }
    if (!*c)
      return 1;
    if (*c++ != '.')
      return 0;
  }
}

/* Whether a --set value holds a comment outside its strings (libconfig would
 * drop it, and what follows it, silently). */
static int has_comment(const char *v)
{
  for (; *v; v++) {
    if (*v == '"') {
      for (v++; *v && *v != '"'; v++)
        if (*v == '\\' && v[1])
          v++;
      if (!*v)
        return 0;
    } else if (*v == '#' || (v[0] == '/' && (v[1] == '/' || v[1] == '*'))) {
      return 1;
    }
  }
  return 0;
}

/* Where --set number idx writes `path`: the existing scalar *target (NULL
 * for a new entry of an open group), its *parent and *key (pointing into
 * path).  0, or -1 with the problem reported. */
static int set_target(scn_ctx *c, config_t *cfg, char *path, size_t idx, config_setting_t **target,
                      config_setting_t **parent, const char **key)
{
  *target = scn_lookup(cfg, path);
  *parent = NULL;
  *key = NULL;
  if (*target) {
    *parent = config_setting_parent(*target);
    *key = config_setting_name(*target);
    if (config_setting_is_aggregate(*target) || !*key) {
      scn_errors_add(c->err, "--set:%zu: %s: not a scalar key; --set changes one value", idx + 1,
                     path);
      return -1;
    }
    return 0;
  }
  char *dot = strrchr(path, '.');
  if (dot) {
    *dot = '\0';
    *parent = scn_lookup(cfg, path);
    *dot = '.';
    *key = dot + 1;
  }
  if (!*parent || !is_open_group(*parent) || !config_setting_is_group(*parent)) {
    const char *best = NULL, *names[65];
    if (*parent && config_setting_is_group(*parent)) {
      int n = config_setting_length(*parent) < 64 ? config_setting_length(*parent) : 64;
      for (int i = 0; i < n; i++)
        names[i] = config_setting_name(config_setting_get_elem(*parent, (unsigned)i));
      names[n] = NULL;
      best = scenario_suggest(names, *key);
    }
    if (best)
      scn_errors_add(c->err,
                     "--set:%zu: %s: no such key in the resolved scenario (did you mean "
                     "\"%.*s%s\"?)",
                     idx + 1, path, (int)(*key - path), path, best);
    else
      scn_errors_add(c->err, "--set:%zu: %s: no such key in the resolved scenario", idx + 1, path);
    return -1;
  }
  /* A new entry's name must be a name (a vendor's, or a utility key). */
  if (!scenario_name_ok(*key)) {
    scn_errors_add(c->err, "--set:%zu: %s: \"%s\" is not a key name", idx + 1, path, *key);
    return -1;
  }
  return 0;
}

/* VALUE of --set number idx as a libconfig scalar in tmp (*parsed), or
 * NULL for a bare word (taken as a string).  0, or -1 with the problem
 * reported. */
static int set_value(scn_ctx *c, const char *path, const char *value, size_t idx, config_t *tmp,
                     const config_setting_t **parsed)
{
  *parsed = NULL;
  size_t blen = strlen(value) + 16;
  char *buf = malloc(blen);
  if (!buf)
    return -1;
  snprintf(buf, blen, "v = %s\n;", value); /* a comment in value ends at the line break */
  /* '@' would be a directive: take such a value as a bare word. */
  char where[PATH_LEN + 32];
  snprintf(where, sizeof where, "--set:%zu: %s", idx + 1, path);
  if (!strchr(value, '@') && scenario_lint_text(buf, where, 0, c->err) > 0) {
    free(buf);
    return -1;
  }
  if (!strchr(value, '@') && config_read_string(tmp, buf))
    *parsed = scn_lookup(tmp, "v");
  free(buf);
  /* Nothing after the value may be dropped: "5; steps = 3" parses as two
   * settings, "5 # note" as one and a comment. */
  if (*parsed && (config_setting_length(config_root_setting(tmp)) != 1 || has_comment(value))) {
    scn_errors_add(c->err,
                   "--set:%zu: %s: \"%s\" is more than one value; give the value alone, "
                   "one --set per key",
                   idx + 1, path, value);
    return -1;
  }
  if (*parsed && config_setting_is_aggregate(*parsed)) {
    scn_errors_add(c->err, "--set:%zu: %s: the value must be a scalar", idx + 1, path);
    return -1;
  }
  return 0;
}

int scn_apply_set(scn_ctx *c, config_t *cfg, const char *arg, size_t idx, int given[3])
{
  char path[PATH_LEN];
  const char *eq = strchr(arg, '=');
  size_t plen = eq ? (size_t)(eq - arg) : 0;
  if (!eq || plen == 0 || plen >= sizeof path) {
    scn_errors_add(c->err, "--set:%zu: %s: expected PATH=VALUE", idx + 1, arg);
    return -1;
  }
  memcpy(path, arg, plen);
  path[plen] = '\0';
  if (!scenario_path_ok(path)) {
    scn_errors_add(c->err, "--set:%zu: %s: not a path lockin takes: " SCN_PATH_RULE, idx + 1, path);
    return -1;
  }
  const char *value = eq + 1;
  config_setting_t *target, *parent;
  const char *key;
  if (set_target(c, cfg, path, idx, &target, &parent, &key) != 0)
    return -1;
  config_t tmp;
  config_init(&tmp);
  const config_setting_t *parsed;
  if (set_value(c, path, value, idx, &tmp, &parsed) != 0) {
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
  config_setting_t *s = config_setting_add(
      parent, keycopy, parsed ? config_setting_type(parsed) : CONFIG_TYPE_STRING);
  if (!s) { /* libconfig refused the name; cannot happen for names checked above */
    scn_errors_add(c->err, "--set:%zu: %s: cannot be set", idx + 1, path);
    config_destroy(&tmp);
    return -1;
  }
  if (parsed)
    copy_scalar(s, parsed);
  else
    config_setting_set_string(s, value);
  config_destroy(&tmp);
  c->set_at[idx] = s;
  given[0] |= !strcmp(path, "name");
  given[1] |= !strcmp(path, "focal_hub");
  given[2] |= !strcmp(path, "population.initial_active");
  return 0;
}

/* ----------------------------------------------------------------- lint */

/* What libconfig 1.5 gets wrong silently or fatally, caught in the text
 * before it parses: an integer literal beyond 32 bits without the L suffix
 * (read as a wrapped value, no error), a decimal one beyond 2^63 - 1 with it
 * (saturated, no error), and @include (a directive whose failure makes the
 * library's scanner exit the process; and a scenario should be one file
 * anyway). */
static const char *lint_where(char *buf, size_t n, const char *file, int lines, unsigned line,
                              const char *what)
{
  if (lines)
    snprintf(buf, n, "%s:%u: (%s)", file, line, what);
  else
    snprintf(buf, n, "%s", file);
  return buf;
}

/* The integer literal at *c (decimal or hex, its sign at c[-1]): checked,
 * rewritten in hex when a decimal above 2^63 - 1 with L; *c left on its last
 * character. */
static void lint_integer(char *text, char **cp, const char *where, scn_errors *err)
{
  char *c = *cp, *start = c;
  int hex = c[0] == '0' && (c[1] == 'x' || c[1] == 'X');
  unsigned long long v = 0;
  int big = 0;
  for (c += hex ? 2 : 0; hex ? isxdigit((unsigned char)*c) : isdigit((unsigned char)*c); c++) {
    unsigned d = (unsigned)(isdigit((unsigned char)*c) ? *c - '0' : (tolower(*c) - 'a' + 10));
    big |= v > (ULLONG_MAX - d) / (hex ? 16 : 10);
    v = v * (hex ? 16 : 10) + d;
  }
  *cp = c - 1;
  if (!hex && (*c == '.' || *c == 'e' || *c == 'E'))
    return; /* a float */
  int negative = start > text && start[-1] == '-';
  int n = (int)(c - start);
  if (*c != 'L') {
    if (big || v > (negative ? 2147483648ull : 2147483647ull))
      scn_errors_add(err,
                     "%s: the integer %.*s does not fit in 32 bits, which libconfig would read "
                     "wrong; write it with an L suffix (%.*sL)",
                     where, n, start, n, start);
  } else if (big || (negative && v > 9223372036854775808ull)) {
    scn_errors_add(err, "%s: the integer %s%.*s does not fit in 64 bits", where,
                   negative ? "-" : "", n, start);
  } else if (!hex && !negative && v > 9223372036854775807ull) {
    char h[24]; /* at most 18 characters, fewer than the 19 or 20 digits */
    int w = snprintf(h, sizeof h, "0x%llX", v);
    memset(start, ' ', (size_t)(n - w));
    memcpy(start + (n - w), h, (size_t)w);
  }
}

/* libconfig 1.5 looks for a duplicate name among a group's settings each
 * time it adds one, so a group of n settings takes time in n^2 (20,000 keys:
 * 4 s; 40,000: 9 s).  A resolved scenario at every list's limit has about
 * 7,100 settings in groups of at most 50. */
#define LINT_MAX_GROUP    1000
#define LINT_MAX_SETTINGS 20000
#define LINT_MAX_DEPTH    64

/* Counts of named settings by group nesting, for the limits above. */
typedef struct {
  size_t n[LINT_MAX_DEPTH], total;
  int depth, said;
} lint_count;

static void lint_setting(lint_count *k, const char *where, scn_errors *err)
{
  int d = k->depth < LINT_MAX_DEPTH ? k->depth : LINT_MAX_DEPTH - 1;
  if (k->said || (++k->n[d] <= LINT_MAX_GROUP && ++k->total <= LINT_MAX_SETTINGS))
    return;
  k->said = 1;
  scn_errors_add(err,
                 "%s: more than %d settings in one group or %d in all; libconfig's parser "
                 "takes time growing with their square",
                 where, LINT_MAX_GROUP, LINT_MAX_SETTINGS);
}

int scenario_lint_text(char *text, const char *file, int lines, scn_errors *err)
{
  size_t before = err->count;
  unsigned line = 1;
  char where[320];
  lint_count k = {.depth = 0};
  for (char *c = text; *c; c++) {
    if (*c == '\n') {
      line++;
    } else if (*c == '{' || *c == '(' || *c == '[') {
      if (++k.depth < LINT_MAX_DEPTH)
        k.n[k.depth] = 0;
    } else if (*c == '}' || *c == ')' || *c == ']') {
      k.depth -= k.depth > 0;
    } else if (*c == '=' || *c == ':') {
      lint_setting(&k, lint_where(where, sizeof where, file, lines, line, "settings"), err);
    } else if (*c == '#' || (c[0] == '/' && c[1] == '/')) {
      while (c[1] && c[1] != '\n')
        c++;
    } else if (c[0] == '/' && c[1] == '*') {
      for (c += 2; *c && !(c[0] == '*' && c[1] == '/'); c++)
        line += *c == '\n';
      if (!*c)
        break;
      c++;
    } else if (*c == '"') {
      for (c++; *c && *c != '"'; c++) {
        if (*c == '\\' && c[1])
          c++;
        line += *c == '\n';
      }
      if (!*c)
        break;
    } else if (*c == '@') {
      scn_errors_add(err, "%s: %.8s is not supported; put the scenario in one file",
                     lint_where(where, sizeof where, file, lines, line, "directive"), c);
      while (c[1] && c[1] != '\n')
        c++;
    } else if (*c >= '0' && *c <= '9' &&
               (c == text || !(isalnum((unsigned char)c[-1]) || c[-1] == '_' || c[-1] == '.'))) {
      lint_integer(text, &c, lint_where(where, sizeof where, file, lines, line, "value"), err);
    }
  }
  return (int)(err->count - before);
}

int scenario_parse_text(config_t *cfg, const char *text, const char *file, scn_errors *err)
{
  /* A copy ending in a line break: libconfig 1.5 calls a comment that
   * ends the text without one a syntax error. */
  size_t len = strlen(text);
  char *copy = malloc(len + 2);
  if (!copy) {
    scn_errors_add(err, "%s: out of memory", file);
    return -1;
  }
  memcpy(copy, text, len);
  memcpy(copy + len, "\n", 2);
  int ok = scenario_lint_text(copy, file, 1, err) == 0;
  /* A signal during a long parse stops the load (the caller exits with
   * 128 + it); libconfig's parser itself cannot be interrupted. */
  if (ok && signals_caught()) {
    scn_errors_add(err, "%s: stopped by signal %d while loading", file, signals_caught());
    ok = 0;
  } else if (ok && !(ok = config_read_string(cfg, copy))) {
    int lines = 1; /* the text's own lines: an error at the end is on its last */
    for (const char *c = text; *c; c++)
      lines += *c == '\n';
    int line = config_error_line(cfg) < lines ? config_error_line(cfg) : lines;
    scn_errors_add(err, "%s:%d: (syntax): %s", file, line, config_error_text(cfg));
  }
  free(copy);
  if (ok && signals_caught()) {
    scn_errors_add(err, "%s: stopped by signal %d while loading", file, signals_caught());
    ok = 0;
  }
  return ok ? 0 : -1;
}
