/* libFuzzer target over the sweep file loader and its design builder.
 *
 * Input: a sweep file, read as if it were scenarios/fuzz.cfg (so that a
 * `scenario` key names the shipped scenarios).  Oracles besides the
 * sanitizers: a refusal says why; a sweep that loads has at least one point,
 * CSV cells without commas or line breaks, and its first and last points
 * either load or say why they do not. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void point_loads_or_says_why(const sweep *w, size_t p, scn_errors *err)
{
  scenario *s = malloc(sizeof *s);
  err->count = 0;
  if (sweep_point_scenario(w, p, w->n_policies - 1, NULL, s, NULL, err) != 0 && err->count == 0)
    abort();
  free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 1 << 15)
    return 0;
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  sweep *w = calloc(1, sizeof *w);
  scn_errors *err = malloc(sizeof *err);
  err->count = 0;
  int rc = sweep_load_text(text, "scenarios/fuzz.cfg", w, err);
  if (rc != 0 && err->count == 0)
    abort(); /* a refusal must say why */
  if (rc == 0) {
    if (w->n_points == 0 || w->n_policies == 0)
      abort();
    for (size_t c = 0; c < w->n_points * w->n_params; c++)
      if (strpbrk(w->cell[c], ",\n\r"))
        abort(); /* a cell would break sweep.csv */
    point_loads_or_says_why(w, 0, err);
    point_loads_or_says_why(w, w->n_points - 1, err);
  }
  sweep_free(w);
  free(w);
  free(err);
  free(text);
  return 0;
}
