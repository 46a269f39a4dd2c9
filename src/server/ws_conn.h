/* src/server/ws_conn.h — what the connection engine (conn.c) calls on an
 * upgraded connection: each function takes over the gqlx_conn function
 * of the same name once gqlx_conn_upgrade gave the connection to a
 * WebSocket. Private to the server layer; the sub-protocols use ws.h. */
#ifndef GQLX_SERVER_WS_CONN_H
#define GQLX_SERVER_WS_CONN_H

#include <stddef.h>

struct gqlx_ws;

char *gqlx_wsc_read_space(struct gqlx_ws *ws, size_t *len);
void gqlx_wsc_received(struct gqlx_ws *ws, size_t n);
void gqlx_wsc_eof(struct gqlx_ws *ws);
void gqlx_wsc_error(struct gqlx_ws *ws);
void gqlx_wsc_timeout(struct gqlx_ws *ws);
void gqlx_wsc_write_done(struct gqlx_ws *ws, int status);
void gqlx_wsc_shutdown(struct gqlx_ws *ws);
void gqlx_wsc_abort(struct gqlx_ws *ws);
/* The socket is closed: on_close if not yet, then ws and its request
 * are freed (once no gqlx_ws_hold remains). */
void gqlx_wsc_fini(struct gqlx_ws *ws);

#endif
