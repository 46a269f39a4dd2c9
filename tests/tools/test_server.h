/* tests/tools/test_server.h — how every test server runs: SIGTERM and
 * SIGINT stop it gracefully (handled before it starts, so a signal during
 * start-up is not lost: the stop waits for the loops), then it starts,
 * serves until stopped — running the host's loop when it has one — and
 * is waited for. */
#ifndef GQL_TEST_SERVER_H
#define GQL_TEST_SERVER_H

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "gql/server.h"
#include "gql/status.h"

static gql_server *test_server_running;

static void test_server_on_signal(int sig)
{
    (void)sig;
    gql_server_stop(test_server_running);
}

/* Returns 0 once the stopped server has finished, or 1 with a message
 * naming the program when it could not start. The caller frees srv. */
static int test_server_serve(gql_server *srv, const char *name, uv_loop_t *host_loop)
{
    test_server_running = srv;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = test_server_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    int rc = gql_server_start(srv);
    if (rc != GQL_OK) {
        const char *why = gql_server_error(srv);
        fprintf(stderr, "%s: cannot start: %s\n", name, *why ? why : gql_strerror(rc));
        return 1;
    }
    if (host_loop != NULL)
        uv_run(host_loop, UV_RUN_DEFAULT); /* ends once the server's handles are closed */
    gql_server_wait(srv);
    return 0;
}

#endif
