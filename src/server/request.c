/* src/server/request.c — what routes and hooks may ask of a request
 * (gql_http_* accessors) and the ways to answer it. */
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/json.h"
#include "gql/status.h"
#include "server/conn.h"
#include "server/http.h"

static const gqlx_req_slot *cslot(const gql_http_request *req)
{
    return (const gqlx_req_slot *)req;
}

const char *gql_http_method(const gql_http_request *req)
{
    return req->method;
}

const char *gql_http_path(const gql_http_request *req)
{
    return req->path;
}

const char *gql_http_query(const gql_http_request *req)
{
    return req->query;
}

const char *gqlx_http_header(const gql_http_request *req, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < req->header_count; i++) {
        const gqlx_slice *h = &req->headers[i].name;
        /* The length and the first letter rule out most names cheaply. */
        if (h->len == n && n > 0 && (h->ptr[0] | 0x20) == (name[0] | 0x20) &&
            strncasecmp(h->ptr, name, n) == 0)
            return req->headers[i].value.ptr;
    }
    return NULL;
}

const char *gql_http_header(const gql_http_request *req, const char *name)
{
    return gqlx_http_header(req, name);
}

const char *gql_http_body(const gql_http_request *req, size_t *len)
{
    if (len != NULL)
        *len = req->body != NULL ? req->body_len : 0;
    return req->body != NULL ? req->body : "";
}

const char *gql_http_path_param(const gql_http_request *req, const char *name)
{
    for (size_t i = 0; i < req->param_count; i++)
        if (strcmp(req->params[i].name.ptr, name) == 0)
            return req->params[i].value.ptr;
    return NULL;
}

const char *gql_http_query_param(const gql_http_request *req, const char *name)
{
    const gqlx_req_slot *s = cslot(req);
    for (size_t i = 0; i < s->query_param_count; i++)
        if (strcmp(s->query_params[i].name.ptr, name) == 0)
            return s->query_params[i].value.ptr;
    return NULL;
}

const char *gql_http_remote_addr(const gql_http_request *req)
{
    return req->remote_addr;
}

void *gql_http_alloc(gql_http_request *req, size_t size)
{
    return gqlx_arena_alloc(&req->arena, size ? size : 1, 8);
}

void *gql_http_user(const gql_http_request *req)
{
    return req->user;
}

int gql_http_add_header(gql_http_request *req, const char *name, const char *value)
{
    if (req->responded || name == NULL || value == NULL || *name == '\0')
        return GQL_EINVAL;
    for (const char *p = name; *p; p++)
        if (!gqlx_http_tchar(*p))
            return GQL_EINVAL;
    if (strpbrk(value, "\r\n") != NULL)
        return GQL_EINVAL;
    gqlx_buf *b = &req->resp_headers;
    size_t before = b->len;
    gqlx_buf_append_cstr(b, name);
    gqlx_buf_append(b, ": ", 2);
    gqlx_buf_append_cstr(b, value);
    gqlx_buf_append(b, "\r\n", 2);
    if (b->failed) {
        /* Drop the partial line; the buffer stays usable. */
        b->failed = false;
        b->len = before;
        if (b->data != NULL)
            b->data[before] = '\0';
        return GQL_ENOMEM;
    }
    return GQL_OK;
}

int gqlx_http_respond_owned(gql_http_request *req, int status, const char *content_type,
                            const char *body, size_t len, unsigned flags,
                            void (*release)(void *arg), void *arg)
{
    if (req->responded || (body == NULL && len > 0))
        return GQL_EINVAL;
    if (status < 100 || status > 599)
        status = 500;
    req->responded = true;
    req->status = status;
    req->content_type = content_type;
    req->resp_body = body != NULL ? body : "";
    req->resp_len = len;
    req->resp_flags = flags;
    req->resp_release = release;
    req->resp_release_arg = arg;
    /* From here req may be freed (an orphan finishes at once). */
    gqlx_conn_responded(req);
    return GQL_OK;
}

static const char OUT_OF_MEMORY_BODY[] = "{\"errors\":[{\"message\":\"Out of memory\"}]}";

/* The request's memory is spent: still answer, or the client would wait
 * forever. */
static int respond_out_of_memory(gql_http_request *req)
{
    gqlx_http_respond_owned(req, 500, "application/json; charset=utf-8", OUT_OF_MEMORY_BODY,
                            sizeof OUT_OF_MEMORY_BODY - 1, GQLX_RESP_NO_STORE, NULL, NULL);
    return GQL_ENOMEM;
}

int gql_http_respond(gql_http_request *req, int status, const char *content_type, const char *body,
                     size_t len)
{
    if (req->responded || (body == NULL && len > 0))
        return GQL_EINVAL;
    char *copy = NULL;
    char *ct = NULL;
    if (len > 0)
        copy = gqlx_arena_memdup(&req->arena, body, len);
    if (content_type != NULL)
        ct = gqlx_arena_strndup(&req->arena, content_type, strlen(content_type));
    if ((len > 0 && copy == NULL) || (content_type != NULL && ct == NULL))
        return respond_out_of_memory(req);
    return gqlx_http_respond_owned(req, status, ct, copy, len, 0, NULL, NULL);
}

int gqlx_http_respond_error(gql_http_request *req, int status, const char *content_type,
                            const char *message)
{
    if (req->responded)
        return GQL_EINVAL;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_append_cstr(&b, "{\"errors\":[{\"message\":");
    gqlx_json_write_string(&b, message, strlen(message));
    gqlx_buf_append_cstr(&b, "}]}");
    char *copy = b.failed ? NULL : gqlx_arena_memdup(&req->arena, b.data, b.len);
    size_t len = b.len;
    gqlx_buf_free(&b);
    if (copy == NULL)
        return respond_out_of_memory(req);
    return gqlx_http_respond_owned(
        req, status, content_type != NULL ? content_type : "application/json; charset=utf-8", copy,
        len, GQLX_RESP_NO_STORE, NULL, NULL);
}
