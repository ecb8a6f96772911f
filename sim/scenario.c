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
#include <sys/stat.h>

#include <libconfig.h>

#include "numfmt.h"
#include "scenario_internal.h"
#include "schema.h"
#include "signals.h"

void scn_errors_print(const scn_errors *err, FILE *f)
{
  size_t kept = err->count < SCN_MAX_ERRORS ? err->count : SCN_MAX_ERRORS;
  for (size_t i = 0; i < kept; i++)
    fprintf(f, "%s\n", err->msg[i]);
  if (err->count > kept)
    fprintf(f, "... and %zu more problems\n", err->count - kept);
}

void scn_warnings_print(const scn_errors *err, FILE *f)
{
  size_t kept = err->n_warnings < SCN_MAX_WARNINGS ? err->n_warnings : SCN_MAX_WARNINGS;
  for (size_t i = 0; i < kept; i++)
    fprintf(f, "warning: %s\n", err->warning[i]);
  if (err->n_warnings > kept)
    fprintf(f, "warning: ... and %zu more\n", err->n_warnings - kept);
}

/* ---------------------------------------------------------------- extract */

static void range_check(scn_ctx *c, const config_setting_t *s, const key_spec *k, double x)
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
    scn_fail(c, s, NULL, "must be %s %s (got %s)", op, lo, got);
  else if (k->lo <= -1e300)
    scn_fail(c, s, NULL, "must be <= %s (got %s)", hi, got);
  else
    scn_fail(c, s, NULL, "must be in %c%s, %s] (got %s)", (k->flags & F_LO_OPEN) ? '(' : '[', lo,
             hi, got);
}

int scenario_name_ok(const char *v)
{
  if (!*v)
    return 0;
  for (; *v; v++)
    if (!((*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9') || *v == '_'))
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

static void extract_group(scn_ctx *c, const config_setting_t *g, const key_spec *table, char *base,
                          const char *const *skip);

/* A whole number, compared as one (a double would blur values above 2^53).
 * A hex literal is its 64 bits (libconfig keeps them signed), so
 * 0xFFFFFFFFFFFFFFFFL is 2^64 - 1, not -1; the lint writes decimal literals
 * above 2^63 - 1 in hex for libconfig. */
static void extract_int(scn_ctx *c, const config_setting_t *s, const key_spec *k, char *field)
{
  if (!scn_is_integer(s)) {
    scn_fail(c, s, NULL, scn_is_number(s) ? "must be a whole number" : "must be a number");
    return;
  }
  long long v = config_setting_get_int64(s);
  int unsigned_bits = v < 0 && config_setting_get_format(s) == CONFIG_FORMAT_HEX;
  if (k->kind == K_U64 && (v >= 0 || unsigned_bits)) {
    *(uint64_t *)field = (uint64_t)v;
    return;
  }
  char got[32];
  snprintf(got, sizeof got, unsigned_bits ? "%llu" : "%lld", (unsigned long long)v);
  if (k->kind == K_U64) { /* a negative decimal */
    scn_fail(c, s, NULL, "must be in [0, 18446744073709551615] (got %s)", got);
    return;
  }
  long long lo = (long long)k->lo, hi = (long long)k->hi; /* K_INT bounds are below 2^63 */
  if (unsigned_bits || v < lo || ((k->flags & F_LO_OPEN) && v == lo) || v > hi) {
    scn_fail(c, s, NULL, "must be in %c%lld, %lld] (got %s)", (k->flags & F_LO_OPEN) ? '(' : '[',
             lo, hi, got);
    return;
  }
  *(long *)field = (long)v;
}

static void extract_scalar(scn_ctx *c, const config_setting_t *s, const key_spec *k, char *field)
{
  switch (k->kind) {
  case K_INT:
  case K_U64:
    extract_int(c, s, k, field);
    return;
  case K_FLOAT: {
    if (!scn_is_number(s)) {
      scn_fail(c, s, NULL, "must be a number");
      return;
    }
    double x = scn_number_of(s);
    if (!isfinite(x)) {
      scn_fail(c, s, NULL, "must be finite");
      return;
    }
    range_check(c, s, k, x);
    *(double *)field = x;
    return;
  }
  case K_BOOL:
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
      scn_fail(c, s, NULL, "must be true or false");
    else
      *(int *)field = config_setting_get_bool(s);
    return;
  default:
    break;
  }
  if (config_setting_type(s) != CONFIG_TYPE_STRING) {
    scn_fail(c, s, NULL, "must be a string in double quotes");
    return;
  }
  const char *v = config_setting_get_string(s);
  switch (k->kind) {
  case K_NAME:
    if (strlen(v) >= SCN_NAME_LEN)
      scn_fail(c, s, NULL, "names are at most %d characters", SCN_NAME_LEN - 1);
    else if (!scenario_name_ok(v))
      scn_fail(c, s, NULL, "names use only a-z, 0-9 and _ (got \"%s\")", v);
    else
      strcpy(field, v);
    return;
  case K_TEXT:
    if (strlen(v) >= SCN_TEXT_LEN)
      scn_fail(c, s, NULL, "at most %d characters", SCN_TEXT_LEN - 1);
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
    scn_fail(c, s, NULL, "must be one of %s (got \"%s\")", list, v);
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
      scn_fail(c, s, NULL, "no %s named \"%s\"", vendor ? "vendor" : "hub", v);
    *(int *)field = i;
    return;
  }
  default:
    return;
  }
}

static void extract_vmap(scn_ctx *c, const config_setting_t *g, const key_spec *k, double *field)
{
  for (size_t j = 0; j < SCN_MAX_VENDORS; j++)
    field[j] = 0.0;
  for (int i = 0; i < config_setting_length(g); i++) {
    const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
    int j = find_vendor(c->scn, config_setting_name(m));
    if (j < 0) {
      scn_fail(c, m, NULL, "no vendor named \"%s\"", config_setting_name(m));
      continue;
    }
    key_spec num = *k;
    num.kind = K_FLOAT;
    extract_scalar(c, m, &num, (char *)&field[j]);
  }
}

/* An array of vendor names into a bit set. */
static void extract_vlist(scn_ctx *c, const config_setting_t *a, uint32_t *field)
{
  *field = 0;
  int t = config_setting_type(a);
  if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
    scn_fail(c, a, NULL, "must be a list of vendor names [\"a\", \"b\"]");
    return;
  }
  for (int i = 0; i < config_setting_length(a); i++) {
    const config_setting_t *m = config_setting_get_elem(a, (unsigned)i);
    const char *v =
        config_setting_type(m) == CONFIG_TYPE_STRING ? config_setting_get_string(m) : NULL;
    int j = v ? find_vendor(c->scn, v) : -1;
    if (!v)
      scn_fail(c, a, NULL, "must be a list of vendor names [\"a\", \"b\"]");
    else if (j < 0)
      scn_fail(c, a, NULL, "no vendor named \"%s\"", v);
    else
      *field |= 1u << j;
    if (!v || j < 0)
      return;
  }
}

static void extract_uovr(scn_ctx *c, const config_setting_t *g, scn_utility *u)
{
  for (int i = 0; i < config_setting_length(g); i++) {
    const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
    const char *n = config_setting_name(m);
    const key_spec *k = schema_find(schema_utility_coefs, n);
    if (k)
      extract_scalar(c, m, k, (char *)u + k->off);
    else if (!strcmp(n, "temperature") || strstr(n, "_form"))
      scn_fail(c, m, NULL, "is global: set it in utility, not per segment");
    else {
      const char *best = scn_suggest(schema_utility_coefs, n);
      scn_fail(c, m, NULL, best ? "unknown key (did you mean \"%s\"?)" : "unknown key%s",
               best ? best : "");
    }
  }
}

static void check_unique_names(scn_ctx *c, const config_setting_t *list, const char *base,
                               size_t stride, size_t n)
{
  for (size_t i = 1; i < n; i++)
    for (size_t j = 0; j < i; j++)
      if (base[i * stride] && !strcmp(base + i * stride, base + j * stride)) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        scn_fail(c, scn_member(e, "name"), NULL, "duplicate name \"%s\" (also entry [%zu])",
                 base + i * stride, j);
        break;
      }
}

static void extract_list(scn_ctx *c, const config_setting_t *s, const key_spec *k, char *base)
{
  if (!scn_is_list(s)) {
    scn_fail(c, s, NULL, "must be a list ( { ... }, ... )");
    return;
  }
  size_t n = (size_t)config_setting_length(s);
  if (n > k->max) {
    scn_fail(c, s, NULL, "at most %zu entries (got %zu)", k->max, n);
    n = k->max;
  }
  char *entries = base + k->off;
  memset(entries, 0, k->stride * k->max);
  for (size_t i = 0; i < n; i++) {
    const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
    if (!config_setting_is_group(e)) {
      scn_fail(c, e, NULL, "must be a group { ... }");
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

static void extract_one(scn_ctx *c, const config_setting_t *g, const key_spec *k, char *base)
{
  if (k->kind == K_CALLER)
    return;
  const config_setting_t *s = scn_member(g, k->key);
  if (!s) {
    scn_fail(c, g, k->key, "required key is missing");
    return;
  }
  switch (k->kind) {
  case K_GROUP:
    if (!config_setting_is_group(s))
      scn_fail(c, s, NULL, "must be a group { ... }");
    else
      extract_group(c, s, k->sub, base, NULL);
    break;
  case K_LIST:
    extract_list(c, s, k, base);
    break;
  case K_VMAP:
    if (!config_setting_is_group(s))
      scn_fail(c, s, NULL, "must be a group { vendor = value; ... }");
    else
      extract_vmap(c, s, k, (double *)(base + k->off));
    break;
  case K_UOVR:
    if (!config_setting_is_group(s))
      scn_fail(c, s, NULL, "must be a group { key = value; ... }");
    else
      extract_uovr(c, s, (scn_utility *)(base + k->off));
    break;
  case K_VLIST:
    extract_vlist(c, s, (uint32_t *)(void *)(base + k->off));
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

/* Event keys of SPEC v1.1 that responses replaced: named in the message. */
static const char *const v11_event_keys[] = {"rival_hub",       "rival_probability", "rival_delay",
                                             "mirror_fraction", "default_fraction",  NULL};

/* Extract group g by table into base, except the keys in skip. */
static void extract_group(scn_ctx *c, const config_setting_t *g, const key_spec *table, char *base,
                          const char *const *skip)
{
  for (int i = 0; i < config_setting_length(g); i++) {
    const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
    const char *n = config_setting_name(m);
    if (!schema_find(table, n)) {
      const char *best = scn_suggest(table, n);
      if (in_list(v11_event_keys, n) && schema_find(table, "responses"))
        scn_fail(c, m, NULL,
                 "unknown key: SPEC v1.2 replaced the rival_* keys by a list of responses "
                 "(responses = ( { hub; on; probability; delay; mirror_fraction; "
                 "default_fraction; backers; } ))");
      else
        scn_fail(c, m, NULL, best ? "unknown key (did you mean \"%s\"?)" : "unknown key%s",
                 best ? best : "");
    }
  }
  for (const key_spec *k = table; k->key; k++)
    if (!in_list(skip, k->key))
      extract_one(c, g, k, base);
}

void scn_extract_group(scn_ctx *c, const config_setting_t *g, const key_spec *table, char *base)
{
  extract_group(c, g, table, base, NULL);
}

/* ------------------------------------------------------------ cross checks */

static const config_setting_t *at(const config_t *cfg, const char *path)
{
  return scn_lookup(cfg, path);
}

static int is_log_form(peer_form f)
{
  return f == FORM_LOG_SHARE || f == FORM_LOG_COUNT;
}

static void cross_check(scn_ctx *c, const config_t *cfg)
{
  scenario *s = c->scn;
  char p[PATH_LEN];
  if (s->initial_active > s->developers)
    scn_fail(c, at(cfg, "population.initial_active"), NULL,
             "must be <= population.developers (%ld)", s->developers);
  if (s->network != NET_MEAN_FIELD) {
    const config_setting_t *d = at(cfg, "network.degree");
    if (s->degree >= s->developers)
      scn_fail(c, d, NULL, "must be < population.developers (%ld) for a %s graph", s->developers,
               scenario_net_name(s->network));
    else if (s->network == NET_RANDOM_REGULAR && (s->degree < 1 || (s->developers * s->degree) % 2))
      scn_fail(c, d, NULL, "random_regular needs degree >= 1 and developers * degree even");
    else if (s->network != NET_RANDOM_REGULAR && (s->degree < 2 || s->degree % 2))
      scn_fail(c, d, NULL, "%s needs an even degree >= 2 (got %ld)", scenario_net_name(s->network),
               s->degree);
  }
  int any_start = 0;
  for (size_t k = 0; k < s->n_hubs; k++) {
    const scn_hub *h = &s->hubs[k];
    any_start |= h->launch == LAUNCH_START;
    if (h->launch == LAUNCH_ON_EVENT && h->initial_share > 0) {
      snprintf(p, sizeof p, "hubs.[%zu].initial_share", k);
      scn_fail(c, at(cfg, p), NULL, "must be 0 for a hub that launches on_event");
    }
  }
  if (s->n_hubs > 0 && !any_start)
    scn_fail(c, at(cfg, "hubs"), NULL, "at least one hub must have launch = \"start\"");
  if (s->n_vendors == 0)
    scn_fail(c, at(cfg, "vendors"), NULL, "needs at least one vendor");
  if (s->n_hubs == 0)
    scn_fail(c, at(cfg, "hubs"), NULL, "needs at least one hub");
  if (s->n_segments == 0)
    scn_fail(c, at(cfg, "segments"), NULL, "needs at least one segment");
  double wsum = 0;
  for (size_t i = 0; i < s->n_segments; i++)
    wsum += s->segments[i].weight;
  if (s->n_segments > 0 && !(wsum > 0))
    scn_fail(c, at(cfg, "segments"), NULL, "the segments' weights sum to 0");
  for (size_t i = 0; i < s->n_events; i++) {
    const scn_event *e = &s->events[i];
    if (s->steps >= 1 && e->step >= s->steps) { /* steps itself may be the problem */
      snprintf(p, sizeof p, "events.[%zu].step", i);
      scn_fail(c, at(cfg, p), NULL, "must be < steps (%ld)", s->steps);
    }
    for (size_t x = 0; x < e->n_responses; x++) {
      const scn_response *r = &e->responses[x];
      if (r->hub < 0 || (size_t)r->hub >= s->n_hubs)
        continue; /* reported already */
      snprintf(p, sizeof p, "events.[%zu].responses.[%zu].hub", i, x);
      if (s->hubs[r->hub].launch != LAUNCH_ON_EVENT)
        scn_fail(c, at(cfg, p), NULL, "hub \"%s\" must have launch = \"on_event\"",
                 s->hubs[r->hub].name);
    }
    if (e->valuation > 0 && e->amount / e->valuation > 1e6) {
      snprintf(p, sizeof p, "events.[%zu].amount", i);
      scn_fail(c, at(cfg, p), NULL, "the stake amount / valuation must be at most 1e6 (got %g)",
               e->amount / e->valuation);
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
      scn_fail(c, at(cfg, p), NULL, "must be >= 0 with a log_* form");
    }
    for (size_t i = 0; i < s->n_segments; i++) {
      snprintf(p, sizeof p, "segments.[%zu].utility.%s", i, nets[n].path);
      const config_setting_t *o = at(cfg, p);
      if (o && *(const double *)((const char *)&s->segments[i].u + nets[n].off) < 0)
        scn_fail(c, o, NULL, "must be >= 0 with a log_* form");
    }
  }
}

/* ---------------------------------------------------------------- warnings */

/* Whether response r of event e can ever launch its hub in this scenario. */
static int response_can_fire(const scenario *s, const scn_event *e, const scn_response *r)
{
  return (r->on == DECISION_ANY || r->on == e->decision) && r->probability > 0 &&
         e->step + r->delay < s->steps;
}

/* Settings that are valid but can have no effect (SPEC-silent; README). */
static void warn_no_effect(scn_ctx *c, const config_t *cfg)
{
  const scenario *s = c->scn;
  char p[PATH_LEN];
  const char *const *decision_names = schema_decision_names;
  /* A global coefficient every segment overrides. */
  for (const key_spec *k = schema_utility_coefs; k->key; k++) {
    size_t over = 0;
    for (size_t g = 0; g < s->n_segments; g++) {
      snprintf(p, sizeof p, "segments.[%zu].utility.%s", g, k->key);
      over += at(cfg, p) != NULL;
    }
    if (s->n_segments > 0 && over == s->n_segments) {
      snprintf(p, sizeof p, "utility.%s", k->key);
      scn_warn(c, at(cfg, p), "every segment overrides it, so it has no effect");
    }
  }
  /* Responses that cannot fire; hubs that can be live. */
  int can_live[SCN_MAX_HUBS] = {0}, named[SCN_MAX_HUBS] = {0};
  size_t n_live = 0;
  for (size_t k = 0; k < s->n_hubs; k++)
    can_live[k] = s->hubs[k].launch == LAUNCH_START;
  for (size_t i = 0; i < s->n_events; i++) {
    const scn_event *e = &s->events[i];
    for (size_t x = 0; x < e->n_responses; x++) {
      const scn_response *r = &e->responses[x];
      named[r->hub] = 1;
      if (response_can_fire(s, e, r)) {
        can_live[r->hub] = 1;
        continue;
      }
      snprintf(p, sizeof p, "events.[%zu].responses.[%zu]", i, x);
      if (r->on != DECISION_ANY && r->on != e->decision)
        scn_warn(c, at(cfg, p),
                 "on = \"%s\" never matches decision = \"%s\": %s cannot launch this way",
                 decision_names[r->on], decision_names[e->decision], s->hubs[r->hub].name);
      else if (r->probability <= 0)
        scn_warn(c, at(cfg, p), "probability 0: %s cannot launch this way", s->hubs[r->hub].name);
      else
        scn_warn(c, at(cfg, p),
                 "step + delay = %ld is beyond the last step (%ld): %s cannot launch this way",
                 e->step + r->delay, s->steps - 1, s->hubs[r->hub].name);
    }
  }
  for (size_t k = 0; k < s->n_hubs; k++) {
    n_live += (size_t)can_live[k];
    if (s->hubs[k].launch == LAUNCH_ON_EVENT && !named[k]) {
      snprintf(p, sizeof p, "hubs.[%zu].launch", k);
      scn_warn(c, at(cfg, p), "no response launches %s: it is never live", s->hubs[k].name);
    }
  }
  if (n_live != 1)
    return;
  /* One hub only: the hub side of the choice is the same for everyone. */
  char list[240] = "";
  size_t used = 0;
  static const char *const hub_side[] = {
      "catalog", "hub_network", "neutrality", "hub_switch_cost", "hub_switch_cost_per_step", NULL};
  for (const char *const *key = hub_side; *key; key++) {
    const key_spec *k = schema_find(schema_utility_coefs, *key);
    int nonzero = 0;
    for (size_t g = 0; g < s->n_segments; g++)
      nonzero |= *(const double *)((const char *)&s->segments[g].u + k->off) != 0;
    if (nonzero && used < sizeof list)
      used +=
          (size_t)snprintf(list + used, sizeof list - used, "%sutility.%s", used ? ", " : "", *key);
  }
  if (s->multihoming != 0 && used < sizeof list)
    used += (size_t)snprintf(list + used, sizeof list - used, "%sdynamics.multihoming",
                             used ? ", " : "");
  for (size_t i = 0; i < s->n_events && used < sizeof list; i++) {
    const scn_event *e = &s->events[i];
    int any = e->decision == DECISION_ACCEPT
                  ? e->neutrality_loss != 0 || (e->board_seat && e->board_seat_loss != 0) ||
                        e->growth_boost != 0
                  : e->neutrality_gain != 0;
    if (any)
      used += (size_t)snprintf(
          list + used, sizeof list - used, "%sevents.[%zu] (%s)", used ? ", " : "", i,
          e->decision == DECISION_ACCEPT ? "neutrality_loss, board_seat_loss, growth_boost"
                                         : "neutrality_gain");
  }
  size_t only = 0;
  while (!can_live[only])
    only++;
  if (used > 0)
    scn_warn(c, at(cfg, "hubs"),
             "only %s can ever be live, so hub-side settings change no choice (only the "
             "catalog and neutrality metrics): %s",
             s->hubs[only].name, list);
}

/* ------------------------------------------------------------------- load */

const char *scenario_net_name(net_type t)
{
  return schema_net_names[t];
}

static int load(config_t *cfg, const char *file, const scn_overrides *ov, scenario *s,
                char **resolved, scn_errors *err)
{
  scn_ctx c = {.file = file, .err = err, .scn = s};
  int given[3];
  config_set_auto_convert(cfg, 0);
  if (scn_resolve(&c, cfg, given) != 0 || err->count)
    return 2;
  size_t n_sets = ov ? ov->n_sets : 0;
  if (n_sets > MAX_SETS) {
    scn_errors_add(err, "--set: at most %d overrides", MAX_SETS);
    return 2;
  }
  c.n_sets = n_sets;
  for (size_t i = 0; i < n_sets; i++)
    scn_apply_set(&c, cfg, ov->sets[i], i, given);
  scn_apply_typed(&c, cfg, ov);
  scn_derive_defaults(config_root_setting(cfg), file, given);
  scn_derive_backers(config_root_setting(cfg));
  if (err->count)
    return 2;

  memset(s, 0, sizeof *s);
  const config_setting_t *root = config_root_setting(cfg);
  static const char *const early[] = {"vendors", "hubs", "utility", NULL};
  for (const char *const *e = early; *e; e++)
    extract_one(&c, root, schema_find(schema_root, *e), (char *)s);
  extract_group(&c, root, schema_root, (char *)s, early);
  cross_check(&c, cfg);
  if (err->count == 0)
    scn_check_magnitudes(&c, cfg); /* on values known to be valid one by one */
  if (err->count)
    return 2;
  warn_no_effect(&c, cfg);

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
  err->n_warnings = 0;
  if (resolved)
    *resolved = NULL;
  int rc =
      scenario_parse_text(&cfg, text, file, err) != 0 ? 2 : load(&cfg, file, ov, s, resolved, err);
  config_destroy(&cfg);
  return rc;
}

#define MAX_TEXT_BYTES (64u << 20) /* a scenario or sweep file larger than this is refused */

char *scenario_read_text(const char *file, scn_errors *err)
{
  FILE *f = fopen(file, "rb");
  struct stat st;
  if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(f);
    scn_errors_add(err, "%s: is a folder, not a scenario or sweep file", file);
    return NULL;
  }
  if (!f && signals_caught()) { /* an open() a signal cut short (a FIFO) */
    scn_errors_add(err, "%s: stopped by signal %d while opening it", file, signals_caught());
    return NULL;
  }
  if (!f) {
    scn_errors_add(err, "%s: cannot read: %s", file, strerror(errno));
    return NULL;
  }
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  char buf[8192];
  size_t n;
  int big = 0;
  while (m && !big && (n = fread(buf, 1, sizeof buf, f)) > 0) {
    fwrite(buf, 1, n, m);
    big = ftell(m) > (long)MAX_TEXT_BYTES;
  }
  int bad = ferror(f);
  fclose(f);
  if (m)
    fclose(m);
  if (!m || bad || big || memchr(text, '\0', len)) {
    if (bad && signals_caught())
      scn_errors_add(err, "%s: stopped by signal %d while reading it", file, signals_caught());
    else
      scn_errors_add(err, "%s: %s", file,
                     bad   ? "read error"
                     : big ? "larger than 64 MiB: not a scenario"
                           : "not a text file");
    free(text);
    return NULL;
  }
  /* A UTF-8 byte-order mark, as some Windows editors write, is not text. */
  if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
    memmove(text, text + 3, len - 2);
  return text;
}

/* The lists are the struct's tail, in this order (static_assert below);
 * a load zeroes the struct first, so their unused entries are zeros. */
_Static_assert(offsetof(scenario, hubs) > offsetof(scenario, vendors) &&
                   offsetof(scenario, segments) > offsetof(scenario, hubs) &&
                   offsetof(scenario, events) > offsetof(scenario, segments) &&
                   offsetof(scenario, events) + sizeof(((scenario *)0)->events) == sizeof(scenario),
               "scenario_pack expects the four lists last");

size_t scenario_packed_size(const scenario *s)
{
  return offsetof(scenario, vendors) + s->n_vendors * sizeof s->vendors[0] +
         s->n_hubs * sizeof s->hubs[0] + s->n_segments * sizeof s->segments[0] +
         s->n_events * sizeof s->events[0];
}

void scenario_pack(const scenario *s, unsigned char *buf)
{
  size_t head = offsetof(scenario, vendors), n;
  memcpy(buf, s, head);
  buf += head;
  memcpy(buf, s->vendors, n = s->n_vendors * sizeof s->vendors[0]);
  buf += n;
  memcpy(buf, s->hubs, n = s->n_hubs * sizeof s->hubs[0]);
  buf += n;
  memcpy(buf, s->segments, n = s->n_segments * sizeof s->segments[0]);
  buf += n;
  memcpy(buf, s->events, s->n_events * sizeof s->events[0]);
}

void scenario_unpack(const unsigned char *buf, scenario *s)
{
  size_t head = offsetof(scenario, vendors), n;
  memset(s, 0, sizeof *s);
  memcpy(s, buf, head);
  buf += head;
  memcpy(s->vendors, buf, n = s->n_vendors * sizeof s->vendors[0]);
  buf += n;
  memcpy(s->hubs, buf, n = s->n_hubs * sizeof s->hubs[0]);
  buf += n;
  memcpy(s->segments, buf, n = s->n_segments * sizeof s->segments[0]);
  buf += n;
  memcpy(s->events, buf, s->n_events * sizeof s->events[0]);
}

int scenario_load(const char *file, const scn_overrides *ov, scenario *s, char **resolved,
                  scn_errors *err)
{
  err->count = 0;
  err->n_warnings = 0;
  if (!file)
    return scenario_load_string(schema_default_text, "(default)", ov, s, resolved, err);
  char *text = scenario_read_text(file, err);
  if (!text)
    return 2;
  int rc = scenario_load_string(text, file, ov, s, resolved, err);
  free(text);
  return rc;
}
