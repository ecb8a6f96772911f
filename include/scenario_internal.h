/* scenario_internal: what the scenario module's files share, and the key
 * machinery sweep.c reads a sweep file's keys with, so that its errors read
 * as a scenario's. */
#ifndef LOCKIN_SCENARIO_INTERNAL_H
#define LOCKIN_SCENARIO_INTERNAL_H

#include <libconfig.h>

#include "scenario.h"
#include "schema.h"

#define MAX_SETS 256
#define PATH_LEN 160

typedef struct {
  const char *file; /* name used in messages */
  scn_errors *err;
  scenario *scn;
  config_setting_t *set_at[MAX_SETS]; /* setting written by --set number i */
  size_t n_sets;
  config_setting_t *typed_at[2]; /* the settings -r and -s wrote */
} scn_ctx;

/* Messages: "FILE:LINE: PATH: what" for setting s (or its missing `key`). */
void scn_fail(scn_ctx *c, const config_setting_t *s, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A warning about setting s: it is valid but can have no effect. */
void scn_warn(scn_ctx *c, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The key of `table` closest to `key` by edit distance, or NULL. */
const char *scn_suggest(const key_spec *table, const char *key);

/* A group's member by name, and a setting by a path of names and [i]
 * joined by dots, as libconfig's config_setting_get_member and config_lookup
 * find them; but libconfig 1.5 compares names calling strchr twice a
 * character (28% of loading a small scenario), these compare with strcmp. */
config_setting_t *scn_member(const config_setting_t *g, const char *name);
config_setting_t *scn_lookup(const config_t *cfg, const char *path);

int scn_is_number(const config_setting_t *s);
int scn_is_integer(const config_setting_t *s);
double scn_number_of(const config_setting_t *s);
int scn_is_list(const config_setting_t *s);

/* Add every missing key of `table` to group g with its default (keys
 * F_REQUIRED, F_NOSET and K_CALLER excepted). */
void scn_fill_group(config_setting_t *g, const key_spec *table);
/* Check and extract group g by `table` into base: unknown keys, types,
 * ranges, names; all problems into c->err. */
void scn_extract_group(scn_ctx *c, const config_setting_t *g, const key_spec *table, char *base);

/* Pass 2: defaults; given[] says which derived defaults the file set. */
int scn_resolve(scn_ctx *c, config_t *cfg, int given[3]);
void scn_derive_defaults(config_setting_t *root, const char *file, const int given[3]);
/* After the overrides: responses' backers default to their hub's owner. */
void scn_derive_backers(config_setting_t *root);
/* Pass 3b: the typed -r and -s of ov, after the --set ones. */
void scn_apply_typed(scn_ctx *c, config_t *cfg, const scn_overrides *ov);
/* Values valid one by one that would overflow a double together
 * (scenario_bounds.c). */
void scn_check_magnitudes(scn_ctx *c, const config_t *cfg);
/* Pass 3: one --set override, number idx. */
int scn_apply_set(scn_ctx *c, config_t *cfg, const char *arg, size_t idx, int given[3]);

#endif
