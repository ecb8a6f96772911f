/* libFuzzer target over the scenario loader and the --set parser.
 *
 * Input: lines "--set PATH=VALUE" at the start are overrides; the rest is a
 * scenario file.  Oracles besides the sanitizers: a loaded scenario's
 * resolved text must load again to the same struct and the same text (the
 * scenario.cfg a run writes reproduces it), and a failed load reports at
 * least one problem. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#define MAX_FUZZ_SETS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 1 << 16)
    return 0;
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  const char *sets[MAX_FUZZ_SETS];
  size_t n_sets = 0;
  char *body = text;
  while (n_sets < MAX_FUZZ_SETS && !strncmp(body, "--set ", 6)) {
    char *nl = strchr(body, '\n');
    sets[n_sets++] = body + 6;
    if (!nl) {
      body += strlen(body);
      break;
    }
    *nl = '\0';
    body = nl + 1;
  }
  scenario *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
  scn_errors *err = malloc(sizeof *err);
  char *resolved = NULL, *again = NULL;
  scn_overrides ov = {.sets = sets, .n_sets = n_sets};
  int rc = scenario_load_string(body, "fuzz.cfg", &ov, a, &resolved, err);
  if (rc != 0 && err->count == 0)
    abort(); /* a refusal must say why */
  if (rc == 0) {
    if (scenario_load_string(resolved, "resolved.cfg", NULL, b, &again, err) != 0)
      abort(); /* the resolved scenario must load */
    if (memcmp(a, b, sizeof *a) != 0 || strcmp(resolved, again) != 0)
      abort(); /* and reproduce the same scenario */
  }
  free(resolved);
  free(again);
  free(a);
  free(b);
  free(err);
  free(text);
  return 0;
}
