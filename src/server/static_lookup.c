/* src/server/static_lookup.c — URL path to file inside a folder, ETag and
 * Last-Modified, conditional requests, HTTP dates. */
#include "server/static_lookup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "gql/status.h"
#include "server/mime.h"
#include "server/url.h"

/* ---- finding the file ------------------------------------------------------ */

/* Encoded '/' and '\' would let one URL segment span folders after
 * decoding, which no link in a static site needs; refusing them keeps the
 * segment checks below exact. */
static bool has_encoded_separator(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        if (s[i] != '%')
            continue;
        char hi = s[i + 1], lo = s[i + 2];
        if ((hi == '2' && (lo == 'f' || lo == 'F')) || (hi == '5' && (lo == 'c' || lo == 'C')))
            return true;
    }
    return false;
}

/* Every segment must be an ordinary name: no NUL or backslash anywhere,
 * no "." or "..", and no hidden file or folder (".git", ".env"). Empty
 * segments ("a//b") are harmless and allowed. */
static bool segments_safe(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && p[i] == '/')
            i++;
        if (i < n && p[i] == '.')
            return false;
        while (i < n && p[i] != '/') {
            if (p[i] == '\0' || p[i] == '\\')
                return false;
            i++;
        }
    }
    return true;
}

static bool under_root(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return path[0] == '/';
    return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The status for a failed realpath or open: missing, unreachable or
 * refused names are 404 like any other unknown URL. */
static int status_for_errno(int err, gqlx_static_file *f)
{
    switch (err) {
    case ENOENT:
    case ENOTDIR:
    case ELOOP:
    case EACCES:
    case EPERM:
    case ENAMETOOLONG:
    case ENXIO:
        return 404;
    default:
        f->error = "cannot open the file";
        return 500;
    }
}

/* Resolves path (a PATH_MAX buffer, rewritten with the real path), checks
 * it is inside root, and opens it. Returns 200 or an error status. */
static int open_inside(const char *root, char *path, gqlx_static_file *f, struct stat *st)
{
    char real[PATH_MAX];
    if (realpath(path, real) == NULL)
        return status_for_errno(errno, f);
    if (!under_root(root, real))
        return 404;
    /* O_NOFOLLOW: the real path has no link left, so one appearing now is
     * a swap racing this lookup. O_NONBLOCK: opening a FIFO must not hang
     * the loop; it is refused below as not a regular file. */
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return status_for_errno(errno, f);
    if (fstat(fd, st) != 0) {
        close(fd);
        f->error = "cannot read the file's status";
        return 500;
    }
    f->fd = fd;
    strcpy(path, real);
    return 200;
}

int gqlx_static_open(const char *root, const char *rel, size_t rel_len, gqlx_static_file *f)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    if (rel_len > GQLX_STATIC_MAX_PATH || has_encoded_separator(rel, rel_len) ||
        memchr(rel, '\\', rel_len) != NULL)
        return 404;
    char decoded[GQLX_STATIC_MAX_PATH + 1];
    size_t n = gqlx_url_decode(decoded, rel, rel_len, false);
    if (n == (size_t)-1)
        return 400;
    if (!segments_safe(decoded, n))
        return 404;
    size_t skip = 0;
    while (skip < n && decoded[skip] == '/')
        skip++;

    char path[PATH_MAX];
    int len = snprintf(path, sizeof path, "%s/%.*s", root, (int)(n - skip), decoded + skip);
    if (len < 0 || (size_t)len >= sizeof path)
        return 404;

    struct stat st;
    int status = open_inside(root, path, f, &st);
    if (status != 200)
        return status;
    if (S_ISDIR(st.st_mode)) {
        gqlx_static_close(f);
        size_t plen = strlen(path);
        if (plen + sizeof "/index.html" > sizeof path)
            return 404;
        memcpy(path + plen, "/index.html", sizeof "/index.html");
        status = open_inside(root, path, f, &st);
        if (status != 200)
            return status;
    }
    if (!S_ISREG(st.st_mode)) {
        gqlx_static_close(f);
        return 404;
    }
    if ((uint64_t)st.st_size > GQLX_STATIC_MAX_FILE_BYTES) {
        gqlx_static_close(f);
        f->error = "the file is larger than the 64 MiB limit for static files";
        return 500;
    }

    f->size = (uint64_t)st.st_size;
    f->mtime = (int64_t)st.st_mtim.tv_sec;
    f->mtime_nsec = st.st_mtim.tv_nsec;
    f->content_type = gqlx_mime_type(path, strlen(path), &f->compressible);
    /* Weak: the connection layer may compress the body, and a strong tag
     * would then have to differ per content coding. Size and mtime to the
     * nanosecond catch every ordinary edit. */
    snprintf(f->etag, sizeof f->etag, "W/\"%" PRIx64 "-%" PRIx64 "-%lx\"", f->size,
             (uint64_t)f->mtime, (unsigned long)f->mtime_nsec);
    gqlx_httpdate_format(f->mtime, f->last_modified);
    return 200;
}

void gqlx_static_close(gqlx_static_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

int gqlx_static_read(gqlx_static_file *f, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    size_t want = (size_t)f->size;
    char *buf = gqlx_malloc(want + 1);
    if (buf == NULL)
        return GQL_ENOMEM;
    size_t got = 0;
    while (got < want) {
        ssize_t r = read(f->fd, buf + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            gqlx_free(buf);
            return GQL_EIO;
        }
        if (r == 0)
            break; /* the file shrank: send what is there */
        got += (size_t)r;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return GQL_OK;
}

/* ---- conditional requests --------------------------------------------------- */

static const char *skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* If-None-Match: "*" / 1#entity-tag, entity-tag = [ "W/" ] DQUOTE
 * *etagc DQUOTE. Weak comparison: the opaque tags (quotes included) are
 * equal, whether or not either is weak. A malformed list matches nothing,
 * so the full response is sent. */
bool gqlx_etag_list_matches(const char *list, const char *etag)
{
    const char *mine = etag;
    if (strncmp(mine, "W/", 2) == 0)
        mine += 2;
    size_t mine_len = strlen(mine);
    const char *p = skip_ows(list);
    if (*p == '*' && *skip_ows(p + 1) == '\0')
        return true;
    for (;;) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            return false;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        if (*p != '"')
            return false;
        const char *start = p++;
        while (*p != '\0' && *p != '"')
            p++;
        if (*p != '"')
            return false;
        p++;
        if ((size_t)(p - start) == mine_len && memcmp(start, mine, mine_len) == 0)
            return true;
        p = skip_ows(p);
        if (*p != ',' && *p != '\0')
            return false;
    }
}

bool gqlx_static_not_modified(const gqlx_static_file *f, const char *if_none_match,
                              const char *if_modified_since)
{
    if (if_none_match != NULL)
        return gqlx_etag_list_matches(if_none_match, f->etag);
    int64_t t;
    if (if_modified_since != NULL && gqlx_httpdate_parse(if_modified_since, &t))
        return f->mtime <= t;
    return false;
}

/* ---- HTTP dates -------------------------------------------------------------- */

static const char weekday_names[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const long_weekday_names[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                  "Thursday", "Friday", "Saturday"};

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12),
 * counting in 400-year eras of 146,097 days so no table is needed. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void gqlx_httpdate_format(int64_t t, char out[GQLX_HTTP_DATE_LEN])
{
    int64_t days = floor_div(t, 86400);
    int64_t secs = t - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int wday = (int)(((days % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
    if (y < 0 || y > 9999) {                    /* outside the format: clamp to its ends */
        memcpy(out, y < 0 ? "Mon, 01 Jan 0000 00:00:00 GMT" : "Fri, 31 Dec 9999 23:59:59 GMT",
               GQLX_HTTP_DATE_LEN);
        return;
    }
    snprintf(out, GQLX_HTTP_DATE_LEN, "%s, %02d %s %04d %02d:%02d:%02d GMT", weekday_names[wday], d,
             month_names[m - 1], (int)y, (int)(secs / 3600), (int)(secs / 60 % 60),
             (int)(secs % 60));
}

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool literal(const char **p, const char *s)
{
    size_t n = strlen(s);
    if (strncmp(*p, s, n) != 0)
        return false;
    *p += n;
    return true;
}

static bool month(const char **p, int *m)
{
    for (int i = 0; i < 12; i++) {
        if (strncmp(*p, month_names[i], 3) == 0) {
            *p += 3;
            *m = i + 1;
            return true;
        }
    }
    return false;
}

/* "HH:MM:SS" */
static bool time_of_day(const char **p, int *h, int *mi, int *s)
{
    return digits(p, 2, h) && literal(p, ":") && digits(p, 2, mi) && literal(p, ":") &&
           digits(p, 2, s);
}

static bool weekday(const char **p, bool long_form)
{
    for (int i = 0; i < 7; i++)
        if (literal(p, long_form ? long_weekday_names[i] : weekday_names[i]))
            return true;
    return false;
}

bool gqlx_httpdate_parse(const char *s, int64_t *t)
{
    const char *p = s;
    int year, mon, day, h, mi, sec;
    if (weekday(&p, false) && literal(&p, ", ")) {
        /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
        if (!(digits(&p, 2, &day) && literal(&p, " ") && month(&p, &mon) && literal(&p, " ") &&
              digits(&p, 4, &year) && literal(&p, " ") && time_of_day(&p, &h, &mi, &sec) &&
              literal(&p, " GMT")))
            return false;
    } else if (p = s, weekday(&p, true) && literal(&p, ", ")) {
        /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT. A two-digit year is
         * taken as the nearest one not in the future of 1970's clocks:
         * 70..99 are 19xx, 00..69 are 20xx. */
        if (!(digits(&p, 2, &day) && literal(&p, "-") && month(&p, &mon) && literal(&p, "-") &&
              digits(&p, 2, &year) && literal(&p, " ") && time_of_day(&p, &h, &mi, &sec) &&
              literal(&p, " GMT")))
            return false;
        year += year < 70 ? 2000 : 1900;
    } else if (p = s, weekday(&p, false) && literal(&p, " ")) {
        /* asctime: Sun Nov  6 08:49:37 1994 */
        if (!month(&p, &mon) || !literal(&p, " "))
            return false;
        if (*p == ' ') {
            p++;
            if (!digits(&p, 1, &day))
                return false;
        } else if (!digits(&p, 2, &day)) {
            return false;
        }
        if (!(literal(&p, " ") && time_of_day(&p, &h, &mi, &sec) && literal(&p, " ") &&
              digits(&p, 4, &year)))
            return false;
    } else {
        return false;
    }
    if (*p != '\0')
        return false;
    static const int month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (day < 1 || day > month_days[mon - 1] || h > 23 || mi > 59 || sec > 60)
        return false;
    if (mon == 2 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
        return false;
    if (sec == 60)
        sec = 59; /* a leap second compares as the second before it */
    *t = days_from_civil(year, mon, day) * 86400 + h * 3600 + mi * 60 + sec;
    return true;
}
