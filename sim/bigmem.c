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
  size_t rounded = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
  if (rounded < bytes || posix_memalign(&p, HUGE_PAGE, rounded) != 0)
    return NULL;
  madvise(p, rounded, MADV_HUGEPAGE); /* advice only: a refusal changes nothing */
  return p;
}
