/* numfmt: numbers as text, exactly.  Dependency-free, so that the scenario
 * loader, the writers and the analysis share one rule without depending on
 * each other. */
#ifndef LOCKIN_NUMFMT_H
#define LOCKIN_NUMFMT_H

#include <stddef.h>

/* The shortest decimal that reads back as exactly x ("0.1", "1e-05"). */
void out_double(char *buf, size_t n, double x);

#endif
