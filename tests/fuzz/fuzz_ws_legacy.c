/* tests/fuzz/fuzz_ws_legacy.c — libFuzzer target for the legacy graphql-ws
 * protocol engine (server/ws_legacy.c over ws_graphql.c): scripts of
 * client messages, clock steps and server-side events, with the
 * invariants and input layout of wsg_fuzz.h. */
#include "wsg_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_run(data, size, GQLX_WSG_LEGACY);
    return 0;
}
