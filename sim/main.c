/* lockin: scenario simulator for hardware-vendor lock-in. */
#include "cli.h"

int main(int argc, char **argv)
{
  cli_wait_passively(argv);
  return cli_main(argc, argv);
}
