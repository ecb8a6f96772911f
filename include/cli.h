/* cli: the command line of SPEC section 9.  main() only calls cli_main, so
 * tests can drive the whole program in-process. */
#ifndef LOCKIN_CLI_H
#define LOCKIN_CLI_H

/* Exit status: 0 success, 2 bad usage or scenario, 1 any other failure. */
int cli_main(int argc, char **argv);

#endif
