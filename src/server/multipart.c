/* src/server/multipart.c — the incremental multipart/form-data parser
 * (server/multipart.h): a byte-driven state machine that stores fields in
 * memory and files in memory or in unlinked temporary files. */
#include "server/multipart.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "server/http.h"
#include "server/url.h"

/* Bytes staged before a write to a temporary file: content reaches the
 * parser in pieces cut at every CR (a possible delimiter), so writing each
 * piece at once would cost a system call per few hundred bytes of binary
 * data. */
#define SPILL_BUFFER_BYTES (64u * 1024u)

/* The longest boundary RFC 2046 allows. */
#define MAX_BOUNDARY 70u

enum state {
    S_PREAMBLE,    /* before the first delimiter: ignored */
    S_AFTER_DELIM, /* a delimiter was read: padding, then CRLF or "--" */
    S_DELIM_LF,    /* CR after a delimiter: LF must follow */
    S_DASH2,       /* one '-' after a delimiter: the second must follow */
    S_HEADERS,     /* a part's header lines */
    S_BODY,        /* a part's content, up to the next delimiter */
    S_EPILOGUE,    /* after the close delimiter: ignored */
};

/* A stored part: what the caller sees, and the content block it owns. */
typedef struct part_rec {
    gqlx_multipart_part pub;
    char *owned; /* gqlx_malloc'd content, or NULL */
    size_t owned_cap;
} part_rec;

struct gqlx_multipart {
    gqlx_multipart_limits lim;
    gqlx_arena arena; /* part records, names, the temporary directory */
    int status;
    char message[256];
    uint8_t state;
    bool done;
    bool padded; /* transport padding seen after the current delimiter */

    char delim[4 + MAX_BOUNDARY]; /* CR LF "--" boundary */
    size_t delim_len;
    size_t match; /* bytes of delim matched so far */

    /* The header block of the part being read. */
    char *hdr;
    size_t hdr_len, hdr_cap, line_start;

    /* The part being read (valid in S_BODY). */
    bool in_part;
    part_rec cur;
    size_t cur_len; /* bytes in cur.owned */

    /* Staging for temporary-file writes. */
    char *wbuf;
    size_t wlen;

    part_rec **parts;
    size_t count, cap;
    size_t file_count;
    size_t mem; /* bytes of content blocks held (capacities) */
};

/* ---- errors ----------------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static int fail(gqlx_multipart *mp, int status,
                                                      const char *fmt, ...)
{
    if (mp->status != 0)
        return mp->status;
    mp->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(mp->message, sizeof mp->message, fmt, ap);
    va_end(ap);
    return status;
}

static int fail_oom(gqlx_multipart *mp)
{
    return fail(mp, 500, "Out of memory while reading the multipart body");
}

/* ---- Content-Type and Content-Disposition syntax ------------------------------ */

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

static bool ieq(const char *p, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(p, lit, n) == 0;
}

/* One parameter of a header value: name, and the value as written (the
 * inside of the quotes for a quoted string). */
typedef struct param {
    gqlx_slice name;
    gqlx_slice raw;
    bool quoted;
} param;

/* Reads the next ";name=value" parameter of s[*pos..len). Returns 1 with
 * *out set, 0 at the end, -1 when the syntax is broken. A ';' without a
 * parameter after it (a trailing ";") is accepted. */
static int next_param(const char *s, size_t len, size_t *pos, param *out)
{
    size_t i = *pos;
    for (;;) {
        while (i < len && is_ows(s[i]))
            i++;
        if (i == len) {
            *pos = i;
            return 0;
        }
        if (s[i] != ';')
            return -1;
        i++;
        while (i < len && is_ows(s[i]))
            i++;
        if (i < len && s[i] != ';')
            break;
    }
    if (i == len) {
        *pos = i;
        return 0;
    }
    size_t n0 = i;
    while (i < len && gqlx_http_tchar(s[i]))
        i++;
    if (i == n0)
        return -1;
    out->name = gqlx_slice_make(s + n0, i - n0);
    while (i < len && is_ows(s[i]))
        i++;
    if (i == len || s[i] != '=')
        return -1;
    i++;
    while (i < len && is_ows(s[i]))
        i++;
    if (i < len && s[i] == '"') {
        size_t v0 = ++i;
        while (i < len && s[i] != '"') {
            if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '"' || s[i + 1] == '\\'))
                i++;
            i++;
        }
        if (i == len)
            return -1; /* no closing quote */
        out->raw = gqlx_slice_make(s + v0, i - v0);
        out->quoted = true;
        i++;
    } else {
        size_t v0 = i;
        while (i < len && s[i] != ';' && !is_ows(s[i]))
            i++;
        out->raw = gqlx_slice_make(s + v0, i - v0);
        out->quoted = false;
    }
    *pos = i;
    return 1;
}

/* Copies a parameter's value into dst (room for p->raw.len bytes),
 * undoing the quoted string's escapes; returns the length. */
static size_t param_value(char *dst, const param *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->raw.len; i++) {
        char c = p->raw.ptr[i];
        if (p->quoted && c == '\\' && i + 1 < p->raw.len &&
            (p->raw.ptr[i + 1] == '"' || p->raw.ptr[i + 1] == '\\'))
            c = p->raw.ptr[++i];
        dst[n++] = c;
    }
    return n;
}

/* Skips leading OWS and the media type or disposition type token of s;
 * returns where the parameters start, or (size_t)-1 when the type is not
 * the expected one. */
static size_t after_type(const char *s, size_t len, const char *type)
{
    size_t i = 0;
    while (i < len && is_ows(s[i]))
        i++;
    size_t t0 = i;
    while (i < len && s[i] != ';' && !is_ows(s[i]))
        i++;
    if (!ieq(s + t0, i - t0, type))
        return (size_t)-1;
    return i;
}

bool gqlx_multipart_is_form_data(const char *content_type)
{
    return content_type != NULL &&
           after_type(content_type, strlen(content_type), "multipart/form-data") != (size_t)-1;
}

int gqlx_multipart_boundary(const char *content_type, char out[71], size_t *len,
                            const char **message)
{
    *len = 0;
    out[0] = '\0';
    size_t n = content_type ? strlen(content_type) : 0;
    size_t pos = content_type ? after_type(content_type, n, "multipart/form-data") : (size_t)-1;
    if (pos == (size_t)-1) {
        *message = "The Content-Type is not multipart/form-data";
        return 400;
    }
    param p;
    int r;
    bool found = false;
    while ((r = next_param(content_type, n, &pos, &p)) == 1) {
        if (!ieq(p.name.ptr, p.name.len, "boundary"))
            continue;
        if (found) {
            *message = "The multipart/form-data Content-Type has two boundary parameters";
            return 400;
        }
        found = true;
        if (p.raw.len > 2 * MAX_BOUNDARY) {
            *message = "The multipart boundary is longer than 70 characters";
            return 400;
        }
        char tmp[2 * MAX_BOUNDARY];
        size_t blen = param_value(tmp, &p);
        if (blen == 0) {
            *message = "The multipart boundary is empty";
            return 400;
        }
        if (blen > MAX_BOUNDARY) {
            *message = "The multipart boundary is longer than 70 characters";
            return 400;
        }
        /* CR and LF must never be part of a boundary: the delimiter search
         * relies on CR appearing only at its start. */
        for (size_t i = 0; i < blen; i++) {
            if ((unsigned char)tmp[i] < 0x20 || (unsigned char)tmp[i] > 0x7e) {
                *message = "The multipart boundary holds a character RFC 2046 does not allow";
                return 400;
            }
        }
        if (tmp[blen - 1] == ' ') {
            *message = "The multipart boundary ends with a space";
            return 400;
        }
        memcpy(out, tmp, blen);
        out[blen] = '\0';
        *len = blen;
    }
    if (r < 0) {
        *message = "The multipart/form-data Content-Type's parameters are malformed";
        return 400;
    }
    if (!found) {
        *message = "The multipart/form-data Content-Type has no boundary parameter";
        return 400;
    }
    return 0;
}

/* ---- creating and releasing ------------------------------------------------------ */

void gqlx_multipart_limits_init(gqlx_multipart_limits *lim)
{
    memset(lim, 0, sizeof *lim);
    lim->max_parts = GQLX_MULTIPART_MAX_PARTS;
    lim->max_header_bytes = GQLX_MULTIPART_MAX_HEADER_BYTES;
    lim->max_field_bytes = GQLX_MULTIPART_MAX_FIELD_BYTES;
    lim->upload_memory_limit = GQLX_MULTIPART_UPLOAD_MEMORY_LIMIT;
    lim->max_memory = GQLX_MULTIPART_MAX_MEMORY;
}

gqlx_multipart *gqlx_multipart_new(const char *content_type, const gqlx_multipart_limits *lim)
{
    gqlx_multipart *mp = gqlx_malloc(sizeof *mp);
    if (mp == NULL)
        return NULL;
    memset(mp, 0, sizeof *mp);
    if (lim != NULL) {
        mp->lim = *lim;
    } else {
        gqlx_multipart_limits_init(&mp->lim);
    }
    if (mp->lim.max_parts == 0)
        mp->lim.max_parts = GQLX_MULTIPART_MAX_PARTS;
    if (mp->lim.max_header_bytes == 0)
        mp->lim.max_header_bytes = GQLX_MULTIPART_MAX_HEADER_BYTES;
    if (mp->lim.max_field_bytes == 0)
        mp->lim.max_field_bytes = GQLX_MULTIPART_MAX_FIELD_BYTES;
    if (mp->lim.max_memory == 0)
        mp->lim.max_memory = GQLX_MULTIPART_MAX_MEMORY;
    gqlx_arena_init(&mp->arena, 4096, 0);
    mp->cur.pub.fd = -1;
    mp->state = S_PREAMBLE;

    const char *dir = mp->lim.tmp_dir;
    if (dir == NULL || dir[0] == '\0')
        dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    mp->lim.tmp_dir = gqlx_arena_strndup(&mp->arena, dir, strlen(dir));
    if (mp->lim.tmp_dir == NULL) {
        gqlx_multipart_free(mp);
        return NULL;
    }

    char boundary[MAX_BOUNDARY + 1];
    size_t blen;
    const char *message;
    if (gqlx_multipart_boundary(content_type, boundary, &blen, &message) != 0) {
        fail(mp, 400, "%s", message);
        return mp;
    }
    memcpy(mp->delim, "\r\n--", 4);
    memcpy(mp->delim + 4, boundary, blen);
    mp->delim_len = 4 + blen;
    /* The body may open with the first delimiter itself: act as if a CRLF
     * came before it. */
    mp->match = 2;
    return mp;
}

static void release_part(part_rec *r)
{
    gqlx_free(r->owned);
    r->owned = NULL;
    if (r->pub.fd >= 0)
        close(r->pub.fd);
    r->pub.fd = -1;
}

void gqlx_multipart_free(gqlx_multipart *mp)
{
    if (mp == NULL)
        return;
    for (size_t i = 0; i < mp->count; i++)
        release_part(mp->parts[i]);
    if (mp->in_part)
        release_part(&mp->cur);
    gqlx_free(mp->hdr);
    gqlx_free(mp->wbuf);
    gqlx_arena_free(&mp->arena);
    gqlx_free(mp);
}

/* ---- content ---------------------------------------------------------------------- */

static size_t memory_used(const gqlx_multipart *mp)
{
    return mp->mem + gqlx_arena_reserved(&mp->arena);
}

/* Grows the current part's block to hold `need` bytes and a terminator,
 * within `limit` bytes of content. Returns 1 when it fits, 0 when the
 * limit or the memory cap says no, -1 when the system allocator failed. */
static int grow_content(gqlx_multipart *mp, size_t need, size_t limit)
{
    part_rec *r = &mp->cur;
    if (need < r->owned_cap)
        return 1;
    if (need > limit)
        return 0;
    size_t ncap = r->owned_cap ? r->owned_cap : 256;
    while (ncap <= need)
        ncap = ncap > SIZE_MAX / 2 ? SIZE_MAX : ncap * 2;
    if (ncap > limit + 1)
        ncap = limit + 1;
    /* Doubling keeps appends cheap, but must not be what breaks the cap. */
    if (memory_used(mp) - r->owned_cap + ncap > mp->lim.max_memory)
        ncap = need + 1;
    if (memory_used(mp) - r->owned_cap + ncap > mp->lim.max_memory)
        return 0;
    char *p = gqlx_realloc(r->owned, ncap);
    if (p == NULL)
        return -1;
    mp->mem = mp->mem - r->owned_cap + ncap;
    r->owned = p;
    r->owned_cap = ncap;
    return 1;
}

static int write_all(gqlx_multipart *mp, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(mp->cur.pub.fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return fail(mp, 500, "Could not write an upload to its temporary file: %s",
                        w < 0 ? strerror(errno) : "no progress");
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int flush_spill(gqlx_multipart *mp)
{
    int r = mp->wlen ? write_all(mp, mp->wbuf, mp->wlen) : 0;
    mp->wlen = 0;
    return r;
}

/* Moves the current file to a new temporary file, which is unlinked at
 * once: it disappears with its descriptor, even if the process dies. */
static int spill(gqlx_multipart *mp)
{
    part_rec *r = &mp->cur;
    if (mp->wbuf == NULL) {
        mp->wbuf = gqlx_malloc(SPILL_BUFFER_BYTES);
        if (mp->wbuf == NULL)
            return fail_oom(mp);
    }
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/gqld-upload-XXXXXX", mp->lim.tmp_dir);
    if (n < 0 || (size_t)n >= sizeof path)
        return fail(mp, 500, "The temporary directory's path is too long");
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return fail(mp, 500, "Could not create a temporary file for an upload in %s: %s",
                    mp->lim.tmp_dir, strerror(errno));
    unlink(path);
    r->pub.fd = fd;
    int st = write_all(mp, r->owned, mp->cur_len);
    mp->mem -= r->owned_cap;
    gqlx_free(r->owned);
    r->owned = NULL;
    r->owned_cap = 0;
    mp->cur_len = 0;
    return st;
}

static int spill_write(gqlx_multipart *mp, const char *p, size_t n)
{
    if (mp->wlen + n > SPILL_BUFFER_BYTES) {
        int st = flush_spill(mp);
        if (st != 0)
            return st;
        if (n >= SPILL_BUFFER_BYTES)
            return write_all(mp, p, n);
    }
    memcpy(mp->wbuf + mp->wlen, p, n);
    mp->wlen += n;
    return 0;
}

/* Content bytes of the current part. */
static int emit(gqlx_multipart *mp, const char *p, size_t n)
{
    part_rec *r = &mp->cur;
    if (n == 0)
        return 0;
    if (!r->pub.is_file) {
        int g = grow_content(mp, mp->cur_len + n, mp->lim.max_field_bytes);
        if (g < 0)
            return fail_oom(mp);
        if (g == 0) {
            if (mp->cur_len + n > mp->lim.max_field_bytes)
                return fail(mp, 413, "The form field '%.80s' is larger than the limit of %zu bytes",
                            r->pub.name, mp->lim.max_field_bytes);
            return fail(mp, 413, "The multipart form needs more memory than the limit of %zu bytes",
                        mp->lim.max_memory);
        }
        memcpy(r->owned + mp->cur_len, p, n);
        mp->cur_len += n;
        r->pub.size = mp->cur_len;
        return 0;
    }
    if (mp->lim.maximum_file_size != 0 && n > mp->lim.maximum_file_size - r->pub.size)
        return fail(mp, 413, "File '%.80s' is larger than the maximum file size of %zu bytes",
                    r->pub.filename, mp->lim.maximum_file_size);
    r->pub.size += n;
    if (r->pub.fd < 0) {
        int g = grow_content(mp, mp->cur_len + n, mp->lim.upload_memory_limit);
        if (g < 0)
            return fail_oom(mp);
        if (g > 0) {
            memcpy(r->owned + mp->cur_len, p, n);
            mp->cur_len += n;
            return 0;
        }
        int st = spill(mp);
        if (st != 0)
            return st;
    }
    return spill_write(mp, p, n);
}

/* The current part's content is complete: store it. */
static int end_part(gqlx_multipart *mp)
{
    part_rec *r = &mp->cur;
    if (r->pub.fd >= 0) {
        int st = flush_spill(mp);
        if (st != 0)
            return st;
    } else {
        int g = grow_content(mp, mp->cur_len, SIZE_MAX - 1);
        if (g <= 0)
            return g < 0 ? fail_oom(mp)
                         : fail(mp, 413,
                                "The multipart form needs more memory than the limit of %zu bytes",
                                mp->lim.max_memory);
        /* Give back the growth slack, so that what the finished parts hold
         * depends on their sizes only, not on how the body was cut. */
        if (r->owned_cap > mp->cur_len + 1) {
            char *shrunk = gqlx_realloc(r->owned, mp->cur_len + 1);
            if (shrunk != NULL) {
                mp->mem = mp->mem - r->owned_cap + mp->cur_len + 1;
                r->owned = shrunk;
                r->owned_cap = mp->cur_len + 1;
            }
        }
        r->owned[mp->cur_len] = '\0';
        r->pub.data = r->owned;
    }
    part_rec *keep = GQLX_NEW(&mp->arena, part_rec);
    if (keep == NULL || !gqlx_arena_grow(&mp->arena, (void **)&mp->parts, &mp->cap, mp->count + 1,
                                         sizeof *mp->parts, mp->count))
        return fail_oom(mp);
    *keep = *r;
    mp->parts[mp->count++] = keep;
    memset(r, 0, sizeof *r);
    r->pub.fd = -1;
    mp->in_part = false;
    mp->cur_len = 0;
    return 0;
}

/* ---- part headers ------------------------------------------------------------------- */

/* Stores a parameter value as a NUL-terminated arena string. */
static const char *arena_param(gqlx_multipart *mp, const param *p, size_t *len)
{
    char *s = gqlx_arena_alloc(&mp->arena, p->raw.len + 1, 1);
    if (s == NULL)
        return NULL;
    size_t n = param_value(s, p);
    s[n] = '\0';
    if (len != NULL)
        *len = n;
    return s;
}

/* filename*=charset'language'percent-encoded (RFC 5987): the bytes as
 * decoded. Returns NULL with *bad set when it is malformed. */
static const char *ext_filename(gqlx_multipart *mp, const param *p, bool *bad)
{
    *bad = false;
    const char *s = p->raw.ptr, *end = s + p->raw.len;
    const char *q1 = memchr(s, '\'', p->raw.len);
    const char *q2 = q1 ? memchr(q1 + 1, '\'', (size_t)(end - q1 - 1)) : NULL;
    if (p->quoted || q2 == NULL) {
        *bad = true;
        return NULL;
    }
    size_t n = (size_t)(end - q2 - 1);
    char *out = gqlx_arena_alloc(&mp->arena, n + 1, 1);
    if (out == NULL)
        return NULL;
    size_t dn = gqlx_url_decode(out, q2 + 1, n, false);
    if (dn == (size_t)-1 || memchr(out, '\0', dn) != NULL) {
        *bad = true;
        return NULL;
    }
    out[dn] = '\0';
    return out;
}

static int parse_disposition(gqlx_multipart *mp, const char *v, size_t len)
{
    part_rec *r = &mp->cur;
    size_t pos = after_type(v, len, "form-data");
    if (pos == (size_t)-1)
        return fail(mp, 400, "Malformed part header: Content-Disposition is not form-data");
    param p;
    int got;
    bool have_name = false, have_filename = false, have_ext = false;
    const char *filename = NULL;
    while ((got = next_param(v, len, &pos, &p)) == 1) {
        if (ieq(p.name.ptr, p.name.len, "name")) {
            if (have_name)
                return fail(mp, 400, "Malformed part header: Content-Disposition has two names");
            have_name = true;
            r->pub.name = arena_param(mp, &p, &r->pub.name_len);
            if (r->pub.name == NULL)
                return fail_oom(mp);
        } else if (ieq(p.name.ptr, p.name.len, "filename")) {
            if (have_filename)
                return fail(mp, 400,
                            "Malformed part header: Content-Disposition has two filenames");
            have_filename = true;
            filename = arena_param(mp, &p, NULL);
            if (filename == NULL)
                return fail_oom(mp);
        } else if (ieq(p.name.ptr, p.name.len, "filename*")) {
            if (have_ext)
                return fail(mp, 400,
                            "Malformed part header: Content-Disposition has two filenames");
            bool bad;
            have_ext = true;
            const char *ext = ext_filename(mp, &p, &bad);
            if (bad)
                return fail(mp, 400, "Malformed part header: invalid filename* parameter");
            if (ext == NULL)
                return fail_oom(mp);
            r->pub.filename = ext;
        }
    }
    if (got < 0)
        return fail(mp, 400, "Malformed part header: invalid Content-Disposition parameters");
    if (!have_name)
        return fail(mp, 400, "Malformed part header: Content-Disposition without name");
    if (!have_ext)
        r->pub.filename = filename;
    r->pub.is_file = r->pub.filename != NULL;
    return 0;
}

/* Parses the header block hdr[0..len) (lines ending in CRLF, the empty
 * line excluded) into the current part. */
static int parse_headers(gqlx_multipart *mp, const char *h, size_t len)
{
    part_rec *r = &mp->cur;
    bool have_disposition = false;
    size_t i = 0;
    while (i < len) {
        const char *line = h + i;
        const char *eol = memchr(line, '\r', len - i);
        size_t n = (size_t)(eol - line); /* every line ends in CRLF */
        i += n + 2;
        const char *colon = memchr(line, ':', n);
        if (colon == NULL || colon == line)
            return fail(mp, 400, "Malformed part header: a line without a header name and colon");
        size_t nlen = (size_t)(colon - line);
        for (size_t k = 0; k < nlen; k++)
            if (!gqlx_http_tchar(line[k]))
                return fail(mp, 400, "Malformed part header: invalid header name");
        const char *v = colon + 1, *vend = line + n;
        while (v < vend && is_ows(*v))
            v++;
        while (vend > v && is_ows(vend[-1]))
            vend--;
        size_t vlen = (size_t)(vend - v);
        if (ieq(line, nlen, "content-disposition")) {
            if (have_disposition)
                return fail(mp, 400, "Malformed part header: two Content-Disposition headers");
            have_disposition = true;
            int st = parse_disposition(mp, v, vlen);
            if (st != 0)
                return st;
        } else if (ieq(line, nlen, "content-type")) {
            if (r->pub.content_type != NULL)
                return fail(mp, 400, "Malformed part header: two Content-Type headers");
            r->pub.content_type = gqlx_arena_strndup(&mp->arena, v, vlen);
            if (r->pub.content_type == NULL)
                return fail_oom(mp);
        }
    }
    if (!have_disposition)
        return fail(mp, 400, "Malformed part header: a part without Content-Disposition");
    return 0;
}

/* The header block is complete: check the part against the limits and
 * start its content. */
static int begin_part(gqlx_multipart *mp)
{
    memset(&mp->cur, 0, sizeof mp->cur);
    mp->cur.pub.fd = -1;
    mp->cur_len = 0;
    mp->in_part = true;
    if (mp->count >= mp->lim.max_parts)
        return fail(mp, 413, "The multipart body has more than %zu parts", mp->lim.max_parts);
    int st = parse_headers(mp, mp->hdr, mp->line_start);
    if (st != 0)
        return st;
    if (mp->cur.pub.is_file) {
        if (mp->lim.maximum_file_count != 0 && mp->file_count >= mp->lim.maximum_file_count)
            return fail(mp, 413, "Too many files: at most %zu may be uploaded at once",
                        mp->lim.maximum_file_count);
        mp->file_count++;
    }
    if (memory_used(mp) > mp->lim.max_memory)
        return fail(mp, 413, "The multipart form needs more memory than the limit of %zu bytes",
                    mp->lim.max_memory);
    return 0;
}

/* Consumes header bytes; returns how many were used (all of them unless
 * the block ended), or (size_t)-1 after a failure. */
static size_t feed_headers(gqlx_multipart *mp, const char *p, size_t n)
{
    size_t used = 0;
    while (used < n) {
        const char *nl = memchr(p + used, '\n', n - used);
        size_t take = nl ? (size_t)(nl - (p + used)) + 1 : n - used;
        size_t room = mp->lim.max_header_bytes - mp->hdr_len;
        /* Control characters never belong in headers; rejecting them here
         * also keeps NUL out of every name and filename. The bytes within
         * the limit are checked before the limit itself, so the error is
         * the same however the body is cut. */
        for (size_t k = 0; k < take && k < room; k++) {
            unsigned char c = (unsigned char)p[used + k];
            if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) {
                fail(mp, 400, "Malformed part header: control character in a header line");
                return (size_t)-1;
            }
        }
        if (take > room) {
            fail(mp, 413, "The headers of a part are larger than the limit of %zu bytes",
                 mp->lim.max_header_bytes);
            return (size_t)-1;
        }
        if (mp->hdr_len + take > mp->hdr_cap) {
            size_t ncap = mp->hdr_cap ? mp->hdr_cap : 512;
            while (ncap < mp->hdr_len + take)
                ncap *= 2;
            if (ncap > mp->lim.max_header_bytes)
                ncap = mp->lim.max_header_bytes;
            char *h = gqlx_realloc(mp->hdr, ncap);
            if (h == NULL) {
                fail_oom(mp);
                return (size_t)-1;
            }
            mp->hdr = h;
            mp->hdr_cap = ncap;
        }
        memcpy(mp->hdr + mp->hdr_len, p + used, take);
        mp->hdr_len += take;
        used += take;
        if (nl == NULL)
            break;
        size_t line_len = mp->hdr_len - mp->line_start;
        const char *line = mp->hdr + mp->line_start;
        if (line_len < 2 || line[line_len - 2] != '\r') {
            fail(mp, 400, "Malformed part header: a line ends with LF without CR");
            return (size_t)-1;
        }
        if (memchr(line, '\r', line_len - 2) != NULL) {
            fail(mp, 400, "Malformed part header: CR without LF in a header line");
            return (size_t)-1;
        }
        if (is_ows(line[0])) {
            fail(mp, 400, "Malformed part header: folded header lines are not allowed");
            return (size_t)-1;
        }
        if (line_len == 2) {
            if (begin_part(mp) != 0)
                return (size_t)-1;
            mp->state = S_BODY;
            mp->match = 0;
            mp->hdr_len = 0;
            mp->line_start = 0;
            return used;
        }
        mp->line_start = mp->hdr_len;
    }
    return used;
}

/* ---- the state machine -------------------------------------------------------------- */

/* Searches for the delimiter in p[0..n), passing content to emit when
 * `keep` (in a part) and dropping it otherwise (the preamble). Returns the
 * bytes consumed: all of them, or up to the end of a delimiter found (then
 * the state is S_AFTER_DELIM); (size_t)-1 after a failure. */
static size_t scan(gqlx_multipart *mp, const char *p, size_t n, bool keep)
{
    size_t i = 0;
    while (i < n) {
        if (mp->match == 0) {
            const char *cr = memchr(p + i, '\r', n - i);
            size_t run = cr ? (size_t)(cr - (p + i)) : n - i;
            if (keep && emit(mp, p + i, run) != 0)
                return (size_t)-1;
            i += run;
            if (cr == NULL)
                break;
            mp->match = 1;
            i++;
            continue;
        }
        if (p[i] == mp->delim[mp->match]) {
            i++;
            if (++mp->match == mp->delim_len) {
                mp->match = 0;
                if (keep && end_part(mp) != 0)
                    return (size_t)-1;
                mp->state = S_AFTER_DELIM;
                mp->padded = false;
                return i;
            }
            continue;
        }
        /* Not a delimiter after all: what matched is content. The boundary
         * holds no CR, so no later start of a match can hide inside it, and
         * the current byte is examined afresh. */
        if (keep && emit(mp, mp->delim, mp->match) != 0)
            return (size_t)-1;
        mp->match = 0;
    }
    return i;
}

int gqlx_multipart_write(gqlx_multipart *mp, const char *p, size_t n)
{
    if (mp->status != 0)
        return mp->status;
    size_t i = 0;
    while (i < n) {
        switch (mp->state) {
        case S_PREAMBLE:
        case S_BODY: {
            size_t used = scan(mp, p + i, n - i, mp->state == S_BODY);
            if (used == (size_t)-1)
                return mp->status;
            i += used;
            break;
        }
        case S_AFTER_DELIM: {
            char c = p[i++];
            if (c == '-' && !mp->padded)
                mp->state = S_DASH2;
            else if (c == '\r')
                mp->state = S_DELIM_LF;
            else if (is_ows(c))
                mp->padded = true;
            else if (c == '\n')
                return fail(mp, 400,
                            "Malformed multipart body: a boundary line ends with LF without CR");
            else
                return fail(mp, 400,
                            "Malformed multipart body: unexpected characters after a boundary");
            break;
        }
        case S_DASH2:
            if (p[i++] != '-')
                return fail(mp, 400,
                            "Malformed multipart body: unexpected characters after a boundary");
            mp->state = S_EPILOGUE;
            break;
        case S_DELIM_LF:
            if (p[i++] != '\n')
                return fail(mp, 400, "Malformed multipart body: a boundary line ends without LF");
            mp->state = S_HEADERS;
            mp->hdr_len = 0;
            mp->line_start = 0;
            break;
        case S_HEADERS: {
            size_t used = feed_headers(mp, p + i, n - i);
            if (used == (size_t)-1)
                return mp->status;
            i += used;
            break;
        }
        case S_EPILOGUE:
        default:
            return 0;
        }
    }
    return 0;
}

int gqlx_multipart_finish(gqlx_multipart *mp)
{
    if (mp->status != 0)
        return mp->status;
    if (mp->state == S_PREAMBLE)
        return fail(mp, 400, "Malformed multipart body: no boundary found");
    if (mp->state != S_EPILOGUE)
        return fail(mp, 400, "Malformed multipart body: missing final boundary");
    mp->done = true;
    return 0;
}

/* ---- results ------------------------------------------------------------------------ */

int gqlx_multipart_status(const gqlx_multipart *mp)
{
    return mp->status;
}

const char *gqlx_multipart_error(const gqlx_multipart *mp)
{
    return mp->message;
}

bool gqlx_multipart_done(const gqlx_multipart *mp)
{
    return mp->done;
}

size_t gqlx_multipart_count(const gqlx_multipart *mp)
{
    return mp->count;
}

const gqlx_multipart_part *gqlx_multipart_at(const gqlx_multipart *mp, size_t i)
{
    return i < mp->count ? &mp->parts[i]->pub : NULL;
}

const gqlx_multipart_part *gqlx_multipart_field(const gqlx_multipart *mp, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < mp->count; i++) {
        const gqlx_multipart_part *p = &mp->parts[i]->pub;
        if (!p->is_file && p->name_len == len && memcmp(p->name, name, len) == 0)
            return p;
    }
    return NULL;
}

const gqlx_multipart_part *gqlx_multipart_find(const gqlx_multipart *mp, const char *name,
                                               size_t len)
{
    for (size_t i = 0; i < mp->count; i++) {
        const gqlx_multipart_part *p = &mp->parts[i]->pub;
        if (p->name_len == len && (len == 0 || memcmp(p->name, name, len) == 0))
            return p;
    }
    return NULL;
}

size_t gqlx_multipart_file_count(const gqlx_multipart *mp)
{
    return mp->file_count;
}

size_t gqlx_multipart_memory(const gqlx_multipart *mp)
{
    return memory_used(mp) + mp->hdr_cap + (mp->wbuf ? SPILL_BUFFER_BYTES : 0);
}
