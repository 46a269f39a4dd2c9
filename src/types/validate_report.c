/* src/types/validate_report.c — messages and locations for the two schema
 * validation stages (see validate_report.h). */
#include "types/validate_report.h"

#include "core/errors.h"

void gqlx_vreport_init(gqlx_vreport *r, const gqlx_source *src, gqlx_arena *scratch,
                       gql_errors *errs)
{
    r->src = src;
    r->scratch = scratch;
    r->errs = errs;
    r->line_starts = NULL;
    r->line_count = 0;
    r->last_offset = 0;
    r->last_loc.line = 0;
    r->last_loc.column = 0;
    gqlx_buf_init(&r->msg, 0);
    r->count = 0;
    r->failed = false;
}

void gqlx_vreport_free(gqlx_vreport *r)
{
    gqlx_buf_free(&r->msg);
}

gqlx_buf *gqlx_vreport_begin(gqlx_vreport *r)
{
    gqlx_buf_clear(&r->msg);
    return &r->msg;
}

/* Line starts, split exactly as gqlx_source_location splits lines: after
 * "\n", after "\r\n" (as one break) and after a lone "\r". */
static bool build_lines(gqlx_vreport *r)
{
    const char *p = r->src->body;
    size_t len = r->src->len, n = 1;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '\n' || (p[i] == '\r' && !(i + 1 < len && p[i + 1] == '\n')))
            n++;
    }
    uint32_t *starts = GQLX_ARRAY(r->scratch, uint32_t, n);
    if (starts == NULL)
        return false;
    size_t k = 0;
    starts[k++] = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '\n' || (p[i] == '\r' && !(i + 1 < len && p[i + 1] == '\n')))
            starts[k++] = (uint32_t)(i + 1);
    }
    r->line_starts = starts;
    r->line_count = n;
    return true;
}

gqlx_location gqlx_vreport_locate(gqlx_vreport *r, uint32_t offset)
{
    if (r->line_starts == NULL && !build_lines(r))
        return gqlx_source_location(r->src, offset); /* slow but correct */
    if (offset > r->src->len)
        offset = (uint32_t)r->src->len;
    size_t lo = 0, hi = r->line_count; /* last start <= offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    uint32_t start = r->line_starts[lo];
    uint32_t column = 1;
    if (r->last_loc.line == lo + 1 && r->last_offset <= offset) {
        start = r->last_offset; /* a token start, so a character boundary */
        column = r->last_loc.column;
    }
    gqlx_source line = gqlx_source_make(r->src->name, r->src->body + start, r->src->len - start);
    gqlx_location loc = gqlx_source_location(&line, offset - start);
    loc.line = (uint32_t)lo + 1;
    loc.column += column - 1;
    r->last_offset = offset;
    r->last_loc = loc;
    return loc;
}

void gqlx_vreport_emit(gqlx_vreport *r, const uint32_t *offsets, size_t n)
{
    gql_location locs[16];
    gql_location *l = locs;
    if (n > sizeof locs / sizeof locs[0]) {
        l = GQLX_ARRAY(r->scratch, gql_location, n);
        if (l == NULL) {
            r->failed = true;
            return;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (offsets[i] == UINT32_MAX)
            continue;
        gqlx_location loc = gqlx_vreport_locate(r, offsets[i]);
        l[k].line = loc.line;
        l[k].column = loc.column;
        k++;
    }
    if (r->msg.failed || !gqlx_errors_add(r->errs, r->msg.data ? r->msg.data : "", l, k)) {
        r->failed = true;
        return;
    }
    r->count++;
}
