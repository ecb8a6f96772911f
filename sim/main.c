/* lockin: scenario simulator for hardware-vendor lock-in. */
#include "cli.h"

int main(int argc, char **argv)
{
  return cli_main(argc, argv);
}
