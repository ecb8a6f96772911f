/* bigmem: large arrays on huge pages where the kernel offers them. */
#include "bigmem.h"

#include <stdlib.h>

#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20) /* bytes in a huge page */

void *big_alloc(size_t bytes)
{
  if (bytes < HUGE_PAGE)
    return malloc(bytes ? bytes : 1);
  void *p = NULL;
  if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
    return NULL;
  /* The whole huge pages only: a tail advised too would be faulted in as
   * a whole 2 MiB page by its first byte's use. */
  madvise(p, bytes / HUGE_PAGE * HUGE_PAGE, MADV_HUGEPAGE); /* advice: a refusal changes nothing */
  return p;
}
