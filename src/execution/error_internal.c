/* src/execution/error_internal.c — field errors whose detail is hidden
 * from clients unless the request exposes internal errors (debug mode). */
#include <stdarg.h>

#include "core/buf.h"
#include "execution/engine.h"
#include "gql/resolve.h"

/* The code every masked and unmasked internal error carries, so clients
 * and logs can tell them from errors the application meant to show. */
static const char internal_code[] = "{\"code\":\"INTERNAL_SERVER_ERROR\"}";

gql_value gql_error_internal(gql_info *info, const char *fmt, ...)
{
    if (info == NULL || fmt == NULL || !info->x->opts.expose_internal_errors)
        return gql_error_ext(info, internal_code, "%s", "Unexpected error.");
    gqlx_buf detail;
    gqlx_buf_init(&detail, 0);
    va_list ap;
    va_start(ap, fmt);
    gqlx_buf_vprintf(&detail, fmt, ap);
    va_end(ap);
    gql_value v =
        gql_error_ext(info, internal_code, "%s",
                      detail.failed || detail.data == NULL ? "Unexpected error." : detail.data);
    gqlx_buf_free(&detail);
    return v;
}
