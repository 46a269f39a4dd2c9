/* include/gql/exec.h — executing GraphQL requests.
 *
 * Executing a request parses its query, validates it against the schema,
 * selects the operation, coerces the variables, and executes the
 * operation's selection set by calling resolvers (resolve.h), exactly as
 * the GraphQL specification (section 6) and graphql-js 17's execute() do:
 * the same data, key order, errors, error paths and locations. The result
 * is a response: JSON text ready to send, such as
 *   {"errors":[{"message":"...","locations":[{"line":1,"column":3}],
 *   "path":["hero","name"]}],"data":{"hero":{"name":null}}}
 * with "errors" before "data" as graphql-js orders them, "errors" present
 * only when there are errors, and "data" absent after a request error
 * (syntax, validation, variables, operation selection, limits).
 *
 * Executions share nothing but the schema and an optional plan cache, so
 * any number may run at once on different threads. */
#ifndef GQL_EXEC_H
#define GQL_EXEC_H

#include "gql/async.h"
#include "gql/auth.h"
#include "gql/common.h"
#include "gql/json.h"
#include "gql/schema.h"
#include "gql/value.h"

GQL_BEGIN_DECLS

/* ---- plan cache --------------------------------------------------------- */

/* A bounded LRU cache of prepared queries: the parsed and validated
 * document and the fields collected for each (selection set, object type),
 * keyed by a hash of the query text (the text itself is compared too).
 * Entries belong to one schema, found by its address: free a cache before
 * (or with) the schemas it served, since a new schema may reuse the
 * address. Thread-safe: share one cache between every thread that executes
 * against the schema. */
typedef struct gql_plan_cache gql_plan_cache;

/* Creates a cache for at most max_entries queries (0: 1,000). */
GQL_EXTERN int gql_plan_cache_new(gql_plan_cache **out, size_t max_entries);

/* Counters since creation. Any pointer may be NULL. */
GQL_EXTERN void gql_plan_cache_stats(const gql_plan_cache *cache, size_t *entries, size_t *hits,
                                     size_t *misses);

/* Releases the cache. No execution may be using it. NULL does nothing. */
GQL_EXTERN void gql_plan_cache_free(gql_plan_cache *cache);

/* ---- options ------------------------------------------------------------ */

/* Server-wide execution options; set with gql_exec_opts_init, then change
 * what you need. */
typedef struct gql_exec_opts {
    gql_plan_cache *cache; /* NULL: parse and validate every request */
    gql_pool *pool;        /* for gql_offload with no pool; may be NULL */
    /* Limits against hostile operations, checked before any resolver runs;
     * exceeding one is a request error. 0 disables a limit. */
    unsigned max_depth;   /* deepest nesting of fields: default 64 */
    unsigned max_fields;  /* fields in the operation, fragments expanded
                             at each use: default 10,000 */
    unsigned max_aliases; /* aliased fields, likewise: default 1,000 */
    /* Most bytes of memory one request may use (arena and response). A
     * request that needs more ends with an error. Default 256 MiB. */
    size_t max_memory;
    unsigned max_validation_errors; /* default 100, as graphql-js */
    unsigned max_variable_errors;   /* default 50, as graphql-js */
    int disable_introspection;      /* reject __schema and __type: 0 */
    int hide_suggestions;           /* no "Did you mean ...?": 0 */
    /* Errors recorded with gql_error_internal (resolve.h) show their own
     * message instead of "Unexpected error." (a debug setting: such
     * messages may reveal how the server works). 0 by default. */
    int expose_internal_errors;
    /* The named policies authorization rules refer to (auth.h); NULL:
     * none, so a rule naming a policy denies. */
    const gql_policies *policies;
} gql_exec_opts;

/* Sets every field of *opts to its default. */
GQL_EXTERN void gql_exec_opts_init(gql_exec_opts *opts);

/* ---- requests ----------------------------------------------------------- */

/* One request. Set with gql_request_init, then fill in. Everything it
 * points to is only read, and must stay valid until the response is
 * complete. */
typedef struct gql_request {
    const char *query; /* the document text (required) */
    size_t query_len;
    const char *operation_name; /* NUL-terminated, or NULL */
    /* Variables: a JSON object, as text or as a parsed value (the parsed
     * value wins when both are set). NULL for none. */
    const char *variables;
    size_t variables_len;
    const gql_json *variables_json;
    gql_value root;  /* the root value; null by default */
    void *context;   /* application data, see gql_info_context */
    void *user;      /* user identity, see gql_info_user */
    /* The authenticated identity authorization rules check (auth.h);
     * NULL for an anonymous request. */
    const gql_principal *principal;
    /* Files uploaded with the request (upload.h): the table upload
     * references index into. NULL (and 0) for none. */
    const struct gql_upload *uploads;
    size_t upload_count;
    /* Operation kinds this request may not run (GQL_OP_* flags): the
     * selected operation of such a kind is refused before its variables
     * are read or any resolver runs, with the request error status
     * GQL_EOPERATION (HTTP refuses mutations over GET this way). 0 by
     * default: every kind runs. */
    unsigned refuse_operations;
} gql_request;

/* Operation kinds as flags, 1 << the number gql_info_operation gives. */
enum {
    GQL_OP_QUERY = 1u << 0,
    GQL_OP_MUTATION = 1u << 1,
    GQL_OP_SUBSCRIPTION = 1u << 2
};

/* Clears *req (no query, no variables, a null root). */
GQL_EXTERN void gql_request_init(gql_request *req);

/* ---- responses ---------------------------------------------------------- */

typedef struct gql_response gql_response;

/* The response as JSON text (NUL-terminated; *len its length when len is
 * not NULL), valid until gql_response_free. */
GQL_EXTERN const char *gql_response_json(const gql_response *resp, size_t *len);

/* What happened:
 *   GQL_OK           the operation ran: "data" is present (field errors
 *                    may have made parts of it null);
 *   GQL_ESYNTAX      the query is not valid GraphQL;
 *   GQL_EVALIDATION  the query failed validation;
 *   GQL_EINVAL       no operation could be selected (none, several without
 *                    an operation name, unknown name), or the variables
 *                    are not a JSON object or are invalid;
 *   GQL_ELIMIT       the operation is deeper, larger or has more aliases
 *                    than gql_exec_opts allows, or the request ran out of
 *                    its memory limit;
 *   GQL_EOPERATION   the selected operation's kind is one the request
 *                    refuses (gql_request.refuse_operations);
 *   GQL_EUNAUTHENTICATED  an authorization rule needs a principal and the
 *                    request has none;
 *   GQL_EFORBIDDEN   the request's principal lacks a role or fails a
 *                    policy an authorization rule requires;
 *   GQL_ENOMEM       memory ran out (the response then holds one error).
 * Every status but GQL_OK is a request error: the response has "errors"
 * and no "data". */
GQL_EXTERN int gql_response_status(const gql_response *resp);

/* Number of errors in the response. */
GQL_EXTERN size_t gql_response_error_count(const gql_response *resp);

/* Releases a response and the request's memory (resolver values included;
 * gql_on_release hooks run). NULL does nothing. */
GQL_EXTERN void gql_response_free(gql_response *resp);

/* ---- executing ---------------------------------------------------------- */

/* Executes a request and waits for it: returns GQL_OK and the response in
 * *out (whatever its status), or GQL_ENOMEM (no response could be made) or
 * GQL_EINVAL (schema, req, req->query or out NULL). opts may be NULL for
 * the defaults. Pending values must then be delivered by other threads
 * (thread pool work, data loader batches, or the application's threads);
 * on an event loop, use gql_execute_async. A subscription operation is
 * executed once with the root value as its event, as graphql-js's
 * execute() does; gql_subscribe streams events. */
GQL_EXTERN int gql_execute(const gql_schema *schema, const gql_request *req,
                           const gql_exec_opts *opts, gql_response **out);

/* An execution in progress on an event loop. */
typedef struct gql_execution gql_execution;

/* Called once when the execution completes; the callee owns resp. */
typedef void (*gql_done_fn)(gql_response *resp, void *arg);

/* Called from any thread when a pending value was delivered from another
 * thread: the host must then call gql_execution_poll(x) once, on the
 * execution's thread (e.g. through uv_async_send). done is never called
 * while a wake call is running, so arg stays valid inside wake. */
typedef void (*gql_wake_fn)(gql_execution *x, void *arg);

/* Starts executing a request on the calling thread and runs it as far as
 * it can without waiting: done(resp, arg) is called — maybe before this
 * returns — when it is complete. While values are pending, the engine
 * needs the thread again only when wake is called (or when the
 * application delivers a value on this thread, which it processes at
 * once). Returns GQL_OK, GQL_ENOMEM or GQL_EINVAL; *out (when out is not
 * NULL) receives the execution, valid until done has been called. */
GQL_EXTERN int gql_execute_async(const gql_schema *schema, const gql_request *req,
                                 const gql_exec_opts *opts, gql_done_fn done, gql_wake_fn wake,
                                 void *arg, gql_execution **out);

/* Processes values delivered from other threads; call exactly once per
 * wake call, on the execution's thread. May complete the execution (and
 * then must not be called again except for other pending wake calls,
 * which remain valid: the execution is released after the last one). */
GQL_EXTERN void gql_execution_poll(gql_execution *x);

/* ---- subscriptions ------------------------------------------------------ */

typedef struct gql_subscription gql_subscription;

/* Called for each event with its response (the callee owns it), in the
 * order the events were pushed. */
typedef void (*gql_event_fn)(gql_response *resp, void *arg);

/* Called once when the source stream ends. */
typedef void (*gql_end_fn)(void *arg);

/* Starts a subscription (graphql-js's subscribe()): the request must
 * select a subscription operation with one root field, whose subscriber
 * (builder.h) creates the source stream. On success returns GQL_OK with
 * the subscription in *out and *error NULL. A request error (syntax,
 * validation, variables, not a subscription) or a failure of the
 * subscriber returns GQL_OK too, with *out NULL and the error response in
 * *error (the caller owns it). Returns GQL_ENOMEM or GQL_EINVAL when
 * neither can be made. Events are delivered on the thread that pushes
 * them. Values pending during an event must be delivered on that thread
 * too. */
GQL_EXTERN int gql_subscribe(const gql_schema *schema, const gql_request *req,
                             const gql_exec_opts *opts, gql_event_fn on_event, gql_end_fn on_end,
                             void *arg, gql_subscription **out, gql_response **error);

/* Ends a subscription: closes its stream (the stream's close function
 * runs) and releases it. Safe inside on_event; after on_end it only
 * releases. NULL does nothing. */
GQL_EXTERN void gql_subscription_free(gql_subscription *sub);

GQL_END_DECLS

#endif
