/* bigmem: allocation of the large arrays read at random (developers'
 * records, graphs), offered to the kernel for huge pages. */
#ifndef LOCKIN_BIGMEM_H
#define LOCKIN_BIGMEM_H

#include <stddef.h>

/* At least `bytes` (1 for 0), freed with free().  From 2 MiB on, aligned
 * to 2 MiB, and its whole 2 MiB pages advised MADV_HUGEPAGE: arrays of
 * tens of MB read at random spend most of a read in TLB misses with 4 KiB
 * pages.  Where huge pages are off this is an ordinary allocation.  NULL
 * when there is no memory. */
void *big_alloc(size_t bytes);

#endif
