/* signals: Ctrl-C (SIGINT) and SIGTERM ask lockin to stop.  The handler
 * only records the signal; the step loop, the replication loops and sweeps
 * look at it between units of work, so a run stops within a step and writes
 * nothing, and a sweep's journal stays valid for --resume. */
#ifndef LOCKIN_SIGNALS_H
#define LOCKIN_SIGNALS_H

/* Install the handlers for SIGINT and SIGTERM (and ignore SIGXFSZ, so that
 * a file-size limit is a write error, not a kill). */
void signals_install(void);

/* The signal that asked to stop, or 0. */
int signals_caught(void);

/* Forget a caught signal (tests run many commands in one process). */
void signals_reset(void);

#endif
