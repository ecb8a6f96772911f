/* cli: the command line of SPEC section 9.  main() only calls cli_main, so
 * tests can drive the whole program in-process. */
#ifndef LOCKIN_CLI_H
#define LOCKIN_CLI_H

/* Exit status: 0 success, 2 bad usage or scenario, 1 any other failure. */
int cli_main(int argc, char **argv);

/* OpenMP threads waiting at a step's barrier should sleep, not spin: with
 * another process on a core, spinning threads take the time the working
 * ones need (-j 2 ran 1.3-2x slower than -j 1 on a busy 2-core machine).
 * libgomp reads OMP_WAIT_POLICY when it loads, before main, so this sets
 * it to passive and starts the program again (argv), once; a policy the
 * user set is kept.  Returns only if it did not start again. */
void cli_wait_passively(char **argv);

#endif
