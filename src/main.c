/*
 * kehu — customer management and statistics. One binary: the CLI, the
 * HTTP API server and (later) the web UI. See README.md.
 */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
