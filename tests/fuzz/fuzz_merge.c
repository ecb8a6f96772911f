/* libFuzzer target over merge: a shard's sweep_meta.txt and sweep.csv, as
 * damaged as the fuzzer makes them.
 *
 * Input: the meta file, then a line "--- sweep.csv", then the CSV.  Both are
 * written to a scratch folder and merged alone into another.  Oracles
 * besides the sanitizers (and libFuzzer's memory limit, which a size taken
 * on trust would break): the status is 0, 1 or 2, and 0 only with a
 * sweep.csv written. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char shard[64], out[80];

static void put(const char *dir, const char *name, const char *text, size_t len)
{
  char path[200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f)
    abort();
  fwrite(text, 1, len, f);
  fclose(f);
}

static void clear(const char *dir)
{
  static const char *const names[] = {"sweep.csv",      "sweep_summary.csv",   "sweep_contrast.csv",
                                      "sweep_meta.txt", "sweep.cfg",           "scenario.cfg",
                                      "overrides.txt",  "sweep_timeseries.csv"};
  char path[200];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 1 << 16)
    return 0;
  if (!shard[0]) {
    snprintf(shard, sizeof shard, "/tmp/lockin_fuzz_merge_XXXXXX");
    if (!mkdtemp(shard))
      abort();
    snprintf(out, sizeof out, "%s/out", shard);
  }
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  const char *mark = "\n--- sweep.csv\n";
  char *cut = strstr(text, mark);
  size_t meta_len = cut ? (size_t)(cut - text) : strlen(text);
  put(shard, "sweep_meta.txt", text, meta_len);
  if (cut)
    put(shard, "sweep.csv", cut + strlen(mark), strlen(cut + strlen(mark)));
  const char *dirs[] = {shard};
  int rc = sweep_merge(dirs, 1, out, 1);
  if (rc != 0 && rc != 1 && rc != 2)
    abort();
  if (rc == 0) {
    char path[200];
    snprintf(path, sizeof path, "%s/sweep.csv", out);
    if (access(path, R_OK) != 0)
      abort(); /* success without the file */
  }
  clear(shard);
  clear(out);
  free(text);
  return 0;
}
