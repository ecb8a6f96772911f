/* signals: the one piece of process-wide mutable state lockin has.  A
 * signal handler can only communicate through a static object of type
 * volatile sig_atomic_t (C11 7.14.1.1), so this is it. */
#include "signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
  caught = sig;
}

void signals_install(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGXFSZ, SIG_IGN);
}

int signals_caught(void)
{
  return (int)caught;
}

void signals_reset(void)
{
  caught = 0;
}
