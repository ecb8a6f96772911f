/* scenario_write: the resolved scenario as libconfig text, and the table of
 * every key for the README.  Both walk the schema, so they list keys in one
 * canonical order with every default written out. */
#include <float.h>
#include <stdio.h>
#include <string.h>

#include <libconfig.h>

#include "numfmt.h"
#include "scenario_internal.h"
#include "schema.h"

static void write_double(FILE *f, double x)
{
  char buf[40];
  out_double(buf, sizeof buf, x);
  fputs(buf, f);
  if (!strpbrk(buf, ".eEn"))
    fputs(".0", f); /* keep it a float for libconfig */
}

static void write_string(FILE *f, const char *v)
{
  fputc('"', f);
  for (; *v; v++) {
    if (*v == '"' || *v == '\\')
      fputc('\\', f);
    fputc(*v, f);
  }
  fputc('"', f);
}

static void write_value(FILE *f, const config_setting_t *s, key_kind kind)
{
  switch (config_setting_type(s)) {
  case CONFIG_TYPE_INT:
  case CONFIG_TYPE_INT64:
    if (kind == K_FLOAT) {
      write_double(f, scn_number_of(s));
    } else {
      /* Beyond 32 bits libconfig needs the L; a hex value (a seed above
       * 2^63 - 1) is its unsigned bits, which the lint reads back. */
      long long v = config_setting_get_int64(s);
      if (config_setting_get_format(s) == CONFIG_FORMAT_HEX && v < 0)
        fprintf(f, "%lluL", (unsigned long long)v);
      else
        fprintf(f, "%lld%s", v, v > 2147483647LL || v < -2147483647LL ? "L" : "");
    }
    break;
  case CONFIG_TYPE_FLOAT:
    write_double(f, config_setting_get_float(s));
    break;
  case CONFIG_TYPE_BOOL:
    fputs(config_setting_get_bool(s) ? "true" : "false", f);
    break;
  case CONFIG_TYPE_STRING:
    write_string(f, config_setting_get_string(s));
    break;
  default:
    break;
  }
}

static void write_group(FILE *f, const config_setting_t *g, const key_spec *table, int indent);

static void write_open_group(FILE *f, const config_setting_t *g)
{
  fputs("{ ", f);
  for (int i = 0; i < config_setting_length(g); i++) {
    const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
    /* A segment's utility overrides the global coefficients, whole-number
     * ones (tenure_cap) among them; the other open groups hold numbers. */
    key_kind kind = K_FLOAT;
    for (const key_spec *k = schema_utility_coefs; k->key; k++)
      if (!strcmp(k->key, config_setting_name(m)))
        kind = k->kind;
    fprintf(f, "%s = ", config_setting_name(m));
    write_value(f, m, kind);
    fputs("; ", f);
  }
  fputs("}", f);
}

static void write_group(FILE *f, const config_setting_t *g, const key_spec *table, int indent)
{
  for (const key_spec *k = table; k->key; k++) {
    const config_setting_t *s = scn_member(g, k->key);
    if (!s)
      continue;
    fprintf(f, "%*s%s", indent, "", k->key);
    switch (k->kind) {
    case K_GROUP:
      fputs(": {\n", f);
      write_group(f, s, k->sub, indent + 2);
      fprintf(f, "%*s};\n", indent, "");
      break;
    case K_LIST:
      fputs(" = (", f);
      for (int i = 0; i < config_setting_length(s); i++) {
        fprintf(f, "%s\n%*s{\n", i ? "," : "", indent + 2, "");
        write_group(f, config_setting_get_elem(s, (unsigned)i), k->sub, indent + 4);
        fprintf(f, "%*s}", indent + 2, "");
      }
      fprintf(f, "%s);\n", config_setting_length(s) ? "\n" : "");
      break;
    case K_VMAP:
    case K_UOVR:
      fputs(" = ", f);
      write_open_group(f, s);
      fputs(";\n", f);
      break;
    case K_VLIST:
      fputs(" = [", f);
      for (int i = 0; i < config_setting_length(s); i++) {
        fputs(i ? ", " : "", f);
        write_value(f, config_setting_get_elem(s, (unsigned)i), K_NAME);
      }
      fputs("];\n", f);
      break;
    default:
      fputs(" = ", f);
      write_value(f, s, k->kind);
      fputs(";\n", f);
    }
  }
}

void schema_write(FILE *f, const config_setting_t *root)
{
  write_group(f, root, schema_root, 0);
}

/* ------------------------------------------------------------- key table */

static void range_text(const key_spec *k, char *buf, size_t n)
{
  char lo[40], hi[40];
  out_double(lo, sizeof lo, k->lo);
  out_double(hi, sizeof hi, k->hi);
  if (k->kind == K_ENUM) {
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; k->choices[i] && used < n; i++)
      used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " \\| " : "", k->choices[i]);
  } else if (k->kind == K_U64) {
    snprintf(buf, n, "[0, 2^64 - 1]");
  } else if (k->kind == K_INT || k->kind == K_FLOAT || k->kind == K_VMAP) {
    if (k->lo <= -DBL_MAX && k->hi >= DBL_MAX)
      snprintf(buf, n, "any");
    else if (k->hi >= DBL_MAX)
      snprintf(buf, n, "%s %s", (k->flags & F_LO_OPEN) ? ">" : ">=", lo);
    else
      snprintf(buf, n, "%c%s, %s]", (k->flags & F_LO_OPEN) ? '(' : '[', lo, hi);
  } else if (k->kind == K_NAME) {
    snprintf(buf, n, "[a-z0-9_]+, < %d chars", SCN_NAME_LEN);
  } else if (k->kind == K_VENDOR || k->kind == K_HUB) {
    snprintf(buf, n, "a %s name%s", k->kind == K_VENDOR ? "vendor" : "hub",
             (k->flags & F_EMPTY_OK) ? " or \"\"" : "");
  } else if (k->kind == K_LIST) {
    snprintf(buf, n, "at most %zu entries", k->max);
  } else if (k->kind == K_VLIST) {
    snprintf(buf, n, "vendor names");
  } else {
    buf[0] = '\0';
  }
}

static void default_text(const key_spec *k, char *buf, size_t n)
{
  if (k->flags & F_REQUIRED)
    snprintf(buf, n, "required");
  else if (k->flags & F_NOSET)
    snprintf(buf, n, "derived");
  else if (k->kind == K_INT || k->kind == K_U64)
    snprintf(buf, n, "%.0f", k->def);
  else if (k->kind == K_FLOAT)
    out_double(buf, n, k->def);
  else if (k->kind == K_BOOL)
    snprintf(buf, n, "%s", k->def != 0 ? "true" : "false");
  else if (k->kind == K_VMAP || k->kind == K_UOVR)
    snprintf(buf, n, "{ }");
  else if (k->kind == K_GROUP || k->kind == K_LIST)
    snprintf(buf, n, "see below");
  else
    snprintf(buf, n, "\"%s\"", k->sdef ? k->sdef : "");
}

static void keys_of(FILE *f, const key_spec *table, const char *prefix)
{
  for (const key_spec *k = table; k->key; k++) {
    char path[160], range[200], def[64];
    snprintf(path, sizeof path, "%s%s", prefix, k->key);
    range_text(k, range, sizeof range);
    default_text(k, def, sizeof def);
    fprintf(f, "| `%s` | %s | %s | %s |\n", path, def, range, k->doc ? k->doc : "");
    if (k->kind == K_GROUP) {
      char sub[170];
      snprintf(sub, sizeof sub, "%s.", path);
      keys_of(f, k->sub, sub);
    } else if (k->kind == K_LIST) {
      char sub[170];
      snprintf(sub, sizeof sub, "%s.[i].", path);
      keys_of(f, k->sub, sub);
    }
  }
}

void scenario_print_keys(FILE *f)
{
  fputs("| key | default | range | meaning |\n|---|---|---|---|\n", f);
  keys_of(f, schema_root, "");
}
