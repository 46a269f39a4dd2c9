/* src/gqld/main.c — the gqld command: one program, several subcommands. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const gqld_command commands[] = {
    {"format", "parse a GraphQL document and print it canonically",
     "usage: gqld format [--allow-empty-selection-sets] [FILE|-]\n"
     "\n"
     "Parses FILE (standard input when FILE is '-' or absent) and prints it as\n"
     "graphql-js's print() does. On a syntax error prints FILE:LINE:COLUMN: message\n"
     "to standard error and exits with status 1.\n"
     "\n"
     "  --allow-empty-selection-sets  accept '{}' (the specification forbids it)\n",
     gqld_cmd_format, NULL},
    {"schema", "build a schema from SDL and print it canonically",
     "usage: gqld schema [--assume-valid] [--type-map | --introspection] FILE|-\n"
     "\n"
     "Builds a schema from the SDL in FILE (standard input when FILE is '-') and\n"
     "prints it as graphql-js's printSchema() does. When the SDL or the schema is\n"
     "invalid, prints FILE:LINE:COLUMN: message for each error to standard error\n"
     "and exits with status 1.\n"
     "\n"
     "  --assume-valid   skip validation (graphql-js's assumeValid and assumeValidSDL)\n"
     "  --type-map       print the names of the schema's types instead, one per line,\n"
     "                   in graphql-js's type-map order\n"
     "  --introspection  print the result of the full introspection query instead, as\n"
     "                   JSON: what graphql-js's introspectionFromSchema() returns\n",
     gqld_cmd_schema, NULL},
    {"validate", "check GraphQL documents against a schema",
     "usage: gqld validate --schema SCHEMA.graphql [OPTIONS] DOCUMENT.graphql...\n"
     "\n"
     "Validates each DOCUMENT against the schema built from SCHEMA with the rules of\n"
     "the specification, as graphql-js's validate() does. Prints FILE:LINE:COLUMN: message\n"
     "to standard error for each error location and exits with status 1 when any\n"
     "document is invalid; prints nothing and exits 0 when all are valid.\n"
     "\n"
     "  --max-errors N           stop after N errors per document (default 100)\n"
     "  --disable-introspection  reject __schema, __type and what is below them\n"
     "  --json                   print one JSON line per document to standard output\n",
     gqld_cmd_validate, NULL},
    {"exec", "execute a GraphQL request against a schema and JSON data",
     "usage: gqld exec --schema SCHEMA.graphql [--assume-valid] [--data DATA.json]\n"
     "                 (--query TEXT | --query-file FILE) [--variables JSON]\n"
     "                 [--operation NAME]\n"
     "\n"
     "Executes one request as graphql-js's graphql() does and prints the JSON response\n"
     "(\"errors\" first when there are any, then \"data\"). The root value is the JSON\n"
     "document DATA: each field reads the member named like it, and interfaces and\n"
     "unions take their type from an object's \"__typename\" member. Exits 0 when the\n"
     "response has data (field errors included), 1 for request errors (syntax,\n"
     "validation, variables, operation selection, limits), 2 for usage or file errors.\n"
     "\n"
     "  --assume-valid   skip validation of the schema (as gqld schema --assume-valid)\n"
     "  --variables JSON a JSON object of variable values\n"
     "  --operation NAME the operation to run when the document has several\n",
     gqld_cmd_exec, NULL},
    {"serve", "serve GraphQL over HTTP (schemas with JSON data as root values)", NULL,
     gqld_cmd_serve, gqld_serve_print_usage},
};

static void print_usage(const gqld_command *c, FILE *to)
{
    if (c->print_usage != NULL)
        c->print_usage(to);
    else
        fputs(c->usage, to);
}

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static void print_help(FILE *to)
{
    fprintf(to, "gqld %s — a GraphQL server\n\nusage: gqld COMMAND [ARGS...]\n\ncommands:\n",
            gql_version());
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(to, "\n  help [COMMAND]  show help\n  --version       print the version\n");
}

static const gqld_command *find_command(const char *name)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return GQLD_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            const gqld_command *c = find_command(argv[2]);
            if (c == NULL) {
                fprintf(stderr, "gqld: unknown command '%s'\n", argv[2]);
                return GQLD_EXIT_USAGE;
            }
            print_usage(c, stdout);
            return GQLD_EXIT_OK;
        }
        print_help(stdout);
        return GQLD_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("gqld %s\n", gql_version());
        return GQLD_EXIT_OK;
    }
    const gqld_command *c = find_command(name);
    if (c == NULL) {
        fprintf(stderr, "gqld: unknown command '%s' (see 'gqld --help')\n", name);
        return GQLD_EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_usage(c, stdout);
            return GQLD_EXIT_OK;
        }
    }
    return c->run(argc - 1, argv + 1);
}
