/* include/gql/ui.h — the browser UI: GraphiQL (an IDE to write and run
 * queries, mutations and subscriptions) and GraphQL Voyager (the schema
 * drawn as a graph), served by a gql_server from files embedded in the
 * program, with no network access needed by the browser or the server.
 *
 * The pages' files (JavaScript, CSS, workers, fonts) are bundled from
 * pinned npm packages when gqld is built and embedded into a separate
 * static library, gql_ui_assets, whose one function gql_ui_assets() hands
 * them to the server. libgql itself carries no UI files: a program that
 * wants the UI links gql_ui_assets (gqld does) and mounts it:
 *
 *   gql_ui_opts uo;  gql_ui_opts_init(&uo);
 *   uo.assets = gql_ui_assets();      // NULL: the pages answer 503
 *   uo.endpoint = "/graphql";         // registered with gql_server_graphql
 *   gql_server_ui(srv, &uo);          // before gql_server_start
 *
 * Each page is rendered per response with a fresh random nonce in its
 * Content-Security-Policy; its only inline script, marked with that nonce,
 * tells the bundle the endpoint's URL and the WebSocket URL (ws: or wss:,
 * from the page's own location) that subscriptions use with the
 * graphql-transport-ws protocol. */
#ifndef GQL_UI_H
#define GQL_UI_H

#include <stddef.h>

#include "gql/common.h"
#include "gql/server.h"

GQL_BEGIN_DECLS

/* ---- the embedded files ------------------------------------------------------ */

/* One file of the bundle. Every pointer is static. */
typedef struct gql_ui_file {
    /* The URL's last segment, with a hash of the content in it
     * ("graphiql-FCL23B2O.js"), so browsers may cache it for good. */
    const char *name;
    /* The stable name the pages find it by ("graphiql.js", "graphiql.css",
     * "voyager.js", "voyager.css", "editor.worker.js", "json.worker.js",
     * "graphql.worker.js"), or NULL for a file only other files name (a
     * font the CSS refers to). */
    const char *role;
    const char *content_type; /* "text/javascript; charset=utf-8" */
    const char *etag;         /* a strong validator, quoted */
    const unsigned char *data;
    size_t size;
    /* The same bytes compressed ahead of time with gzip and brotli; NULL
     * (size 0) when compression would not shrink the file. */
    const unsigned char *gzip;
    size_t gzip_size;
    const unsigned char *br;
    size_t br_size;
} gql_ui_file;

typedef struct gql_ui_bundle {
    /* The bundled packages and their versions, for humans
     * ("graphiql 5.4.0, graphql-voyager 2.1.0, ..."). */
    const char *versions;
    const gql_ui_file *files;
    size_t count;
} gql_ui_bundle;

/* The bundle built into the program. Defined by the gql_ui_assets static
 * library (built beside gqld when Node.js and the ui/ packages are
 * present), not by libgql: link that library to call it. Never NULL;
 * thread-safe. */
GQL_EXTERN const gql_ui_bundle *gql_ui_assets(void);

/* ---- serving the pages ------------------------------------------------------- */

typedef struct gql_ui_opts {
    /* The files, usually gql_ui_assets(). NULL: every page answers 503
     * with a message saying the UI was not built in. */
    const gql_ui_bundle *assets;
    /* The GraphQL endpoint the pages talk to, as given to
     * gql_server_graphql (the server's path prefix is added in the page).
     * Default "/graphql". */
    const char *endpoint;
    /* 1 (default): that endpoint also answers a browser's GET — no query
     * parameters, Accept preferring text/html — with the GraphiQL page. */
    int endpoint_page;
    /* Where the GraphiQL and Voyager pages are: default "/graphiql" and
     * "/voyager"; NULL or "" serves no such page. */
    const char *graphiql_path;
    const char *voyager_path;
    /* Where the bundle's files are served (GET and HEAD), as
     * assets_path + "/" + file name: default "/ui-assets". */
    const char *assets_path;
} gql_ui_opts;

/* Sets every field of *opts to its default (assets NULL). */
GQL_EXTERN void gql_ui_opts_init(gql_ui_opts *opts);

/* Mounts the UI on a server that has not started: the pages and the
 * files' route. Page answers are never cached (each has its own nonce)
 * and carry the Content-Security-Policy and the server's security
 * headers; files are answered with their ETag (304 when it matches),
 * Cache-Control "public, max-age=31536000, immutable" and, when the
 * client accepts it, their precompressed form.
 *
 * opts is not copied: it and its strings must outlive the server (like
 * the schema given to gql_server_graphql). Several UIs may be mounted
 * at different paths. Returns GQL_OK, GQL_ENOMEM, or GQL_EINVAL (srv or
 * opts NULL, the server started, a path not starting with '/', or a path
 * already taken). */
GQL_EXTERN int gql_server_ui(gql_server *srv, const gql_ui_opts *opts);

GQL_END_DECLS

#endif
