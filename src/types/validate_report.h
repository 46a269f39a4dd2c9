/* src/types/validate_report.h — shared error reporting for SDL and schema
 * validation (validate_sdl.c, validate_schema.c).
 *
 * Both stages build a message in a reusable buffer, then attach locations
 * given as byte offsets into the SDL source. Offsets become graphql-js
 * line/UTF-16 column pairs through a line-start table built on first use,
 * so each location costs a binary search plus a scan of one line instead of
 * a scan from the start of the document (a schema with thousands of errors
 * stays linear in practice). */
#ifndef GQLX_VALIDATE_REPORT_H
#define GQLX_VALIDATE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gql/errors.h"
#include "language/source.h"

typedef struct gqlx_vreport {
    const gqlx_source *src;
    gqlx_arena *scratch;
    gql_errors *errs;
    uint32_t *line_starts; /* built lazily; NULL until the first location */
    size_t line_count;
    /* The last offset located and its location: the next offset on the
     * same line at or after it scans on from there, so the many locations
     * of one error on a long line cost one scan, not one each. */
    uint32_t last_offset;
    gqlx_location last_loc;
    gqlx_buf msg; /* the message being built */
    size_t count; /* errors reported */
    bool failed;  /* memory ran out somewhere; the list is incomplete */
} gqlx_vreport;

void gqlx_vreport_init(gqlx_vreport *r, const gqlx_source *src, gqlx_arena *scratch,
                       gql_errors *errs);
/* Releases the message buffer (everything else lives in scratch). */
void gqlx_vreport_free(gqlx_vreport *r);

/* Empties the message buffer and returns it for the next message. */
gqlx_buf *gqlx_vreport_begin(gqlx_vreport *r);

/* Adds the message built since gqlx_vreport_begin with the n locations at
 * the given byte offsets (n may be 0). Offsets equal to UINT32_MAX are
 * skipped (graphql-js drops undefined nodes from location lists). */
void gqlx_vreport_emit(gqlx_vreport *r, const uint32_t *offsets, size_t n);

/* Convenience: one location. */
static inline void gqlx_vreport_emit1(gqlx_vreport *r, uint32_t offset)
{
    gqlx_vreport_emit(r, &offset, 1);
}

/* Location of a byte offset (graphql-js line and UTF-16 column). */
gqlx_location gqlx_vreport_locate(gqlx_vreport *r, uint32_t offset);

#endif
