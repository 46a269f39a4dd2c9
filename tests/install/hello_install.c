/* tests/install/hello_install.c — a consumer of an installed libgql.
 *
 * Built by scripts/install-test against the installed headers and library
 * only (via pkg-config and via find_package(gql)), as C and as C++. It
 * checks that the run-time version agrees with the headers and that a
 * status message can be looked up, then prints one line the test expects:
 *   hello_install: gql <version> ok (<message for GQL_ENOMEM>)
 * Exit status 0 on success, 1 on any mismatch. */
#include <gql/gql.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *version = gql_version();
    const char *message = gql_strerror(GQL_ENOMEM);

    if (version == NULL || strcmp(version, GQL_VERSION_STRING) != 0) {
        fprintf(stderr, "hello_install: library version %s, headers %s\n",
                version ? version : "(null)", GQL_VERSION_STRING);
        return 1;
    }
    if (message == NULL || message[0] == '\0' || strcmp(message, gql_strerror(-12345)) == 0) {
        fprintf(stderr, "hello_install: no message for GQL_ENOMEM\n");
        return 1;
    }
    printf("hello_install: gql %s ok (%s)\n", version, message);
    return 0;
}
