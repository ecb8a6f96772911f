/* numfmt: the shortest decimal that reads back to the same double. */
#include "numfmt.h"

#include <stdio.h>
#include <stdlib.h>

void out_double(char *buf, size_t n, double x)
{
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, n, "%.*g", prec, x);
    if (strtod(buf, NULL) == x)
      return;
  }
}
