/* src/gqld/commands.h — the subcommands of the gqld command line. */
#ifndef GQLD_COMMANDS_H
#define GQLD_COMMANDS_H

#include <stddef.h>
#include <stdio.h>

#include "gql/gql.h"

/* Each subcommand gets the arguments after its name (argv[0] is the
 * subcommand's name) and returns the process exit status. */
typedef int gqld_command_fn(int argc, char **argv);

typedef struct gqld_command {
    const char *name;
    const char *summary; /* one line for `gqld --help` */
    const char *usage;   /* full help for `gqld help NAME` */
    gqld_command_fn *run;
    void (*print_usage)(FILE *to); /* instead of usage, when it is built */
} gqld_command;

int gqld_cmd_format(int argc, char **argv);
int gqld_cmd_schema(int argc, char **argv);
int gqld_cmd_validate(int argc, char **argv);
int gqld_cmd_exec(int argc, char **argv);
int gqld_cmd_serve(int argc, char **argv);
void gqld_serve_print_usage(FILE *to);

/* Reads a whole file ("-" for standard input) into memory released with
 * free(). Returns NULL and prints "gqld: PATH: reason" on failure. */
char *gqld_read_file(const char *path, size_t *len);

/* Prints errors compiler-style, "FILE:LINE:COLUMN: message", one line per
 * location (a line without location prints "FILE: message"). */
void gqld_print_errors(const char *file, const gql_errors *errs);

/* Reports a failed build or parse of PATH: its located errors
 * compiler-style, or "gqld CMD: PATH: reason" when there are none. */
void gqld_report(const char *cmd, const char *path, int rc, const gql_errors *errs);

/* Reads and parses a JSON file; reports the failure (gqld_report) and
 * returns NULL when it cannot. */
gql_json_doc *gqld_load_json(const char *cmd, const char *path);

/* Exit statuses shared by the subcommands. */
enum {
    GQLD_EXIT_OK = 0,
    GQLD_EXIT_INVALID = 1, /* the input has errors */
    GQLD_EXIT_USAGE = 2    /* bad command line, unreadable file, no memory */
};

#endif
