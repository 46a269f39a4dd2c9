/* tests/unit/server/test_static_files.c — finding static files safely,
 * their validators, 304 decisions, HTTP dates and content types
 * (static_lookup.c, mime.c). Runs from the source tree's root, where
 * tests/data/static is the folder served. */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "gql/status.h"
#include "server/mime.h"
#include "server/static_lookup.h"

static char data_root[PATH_MAX];

static int setup(void **state)
{
    (void)state;
    return realpath("tests/data/static", data_root) != NULL ? 0 : -1;
}

/* out = dir "/" name, which must fit. */
static void join(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < size);
}

static int open_path(const char *root, const char *rel, gqlx_static_file *f)
{
    return gqlx_static_open(root, rel, strlen(rel), f);
}

/* The status for rel under the test folder, the file closed again. */
static int status_of(const char *rel)
{
    gqlx_static_file f;
    int status = open_path(data_root, rel, &f);
    gqlx_static_close(&f);
    return status;
}

/* The body served for rel, which must be found. */
static char *body_of(const char *root, const char *rel, size_t *len)
{
    gqlx_static_file f;
    assert_int_equal(open_path(root, rel, &f), 200);
    char *data;
    assert_int_equal(gqlx_static_read(&f, &data, len), GQL_OK);
    gqlx_static_close(&f);
    return data;
}

static void test_mime(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"index.html", "text/html; charset=utf-8"},
        {"a/b/app.js", "text/javascript; charset=utf-8"},
        {"mod.MJS", "text/javascript; charset=utf-8"},
        {"site.css", "text/css; charset=utf-8"},
        {"data.json", "application/json; charset=utf-8"},
        {"app.js.map", "application/json; charset=utf-8"},
        {"logo.svg", "image/svg+xml; charset=utf-8"},
        {"a.png", "image/png"},
        {"a.JPG", "image/jpeg"},
        {"a.jpeg", "image/jpeg"},
        {"a.gif", "image/gif"},
        {"favicon.ico", "image/x-icon"},
        {"a.webp", "image/webp"},
        {"f.woff", "font/woff"},
        {"f.woff2", "font/woff2"},
        {"f.ttf", "font/ttf"},
        {"notes.txt", "text/plain; charset=utf-8"},
        {"m.wasm", "application/wasm"},
        {"feed.xml", "application/xml; charset=utf-8"},
        {"doc.pdf", "application/pdf"},
        {"archive.tar.gz", "application/octet-stream"},
        {"Makefile", "application/octet-stream"},
        {".profile", "application/octet-stream"},
        {"dir.d/file", "application/octet-stream"},
        {"trailing.", "application/octet-stream"},
        {"", "application/octet-stream"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(gqlx_mime_type(cases[i][0], strlen(cases[i][0]), NULL), cases[i][1]);
    bool compressible = true;
    gqlx_mime_type("a.png", 5, &compressible);
    assert_false(compressible);
    gqlx_mime_type("a.woff2", 7, &compressible);
    assert_false(compressible);
    gqlx_mime_type("a.js", 4, &compressible);
    assert_true(compressible);
    gqlx_mime_type("a.bin", 5, &compressible);
    assert_false(compressible);
}

static void test_found(void **state)
{
    (void)state;
    char path[PATH_MAX + 16];
    join(path, sizeof path, data_root, "app.js");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);

    gqlx_static_file f;
    assert_int_equal(open_path(data_root, "/app.js", &f), 200);
    assert_true(f.fd >= 0);
    assert_int_equal(f.size, (uint64_t)st.st_size);
    assert_int_equal(f.mtime, (int64_t)st.st_mtim.tv_sec);
    assert_string_equal(f.content_type, "text/javascript; charset=utf-8");
    assert_true(f.compressible);
    char etag[64];
    snprintf(etag, sizeof etag, "W/\"%llx-%llx-%lx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec, (unsigned long)st.st_mtim.tv_nsec);
    assert_string_equal(f.etag, etag);
    char date[GQLX_HTTP_DATE_LEN];
    gqlx_httpdate_format(st.st_mtim.tv_sec, date);
    assert_string_equal(f.last_modified, date);
    char *data;
    size_t len;
    assert_int_equal(gqlx_static_read(&f, &data, &len), GQL_OK);
    assert_int_equal(len, (size_t)st.st_size);
    assert_non_null(strstr(data, "document.querySelector"));
    assert_int_equal(data[len], '\0');
    gqlx_free(data);
    gqlx_static_close(&f);
    assert_int_equal(f.fd, -1);
    gqlx_static_close(&f);

    static const char *const found[] = {
        "/index.html",        "/style.css", "/logo.svg",      "/data.json", "/sub/page.txt",
        "/hello%20world.txt", "//app.js",   "/sub//page.txt", "/%61pp.js",  "app.js",
    };
    for (size_t i = 0; i < sizeof found / sizeof found[0]; i++)
        if (status_of(found[i]) != 200)
            fail_msg("%s: expected 200", found[i]);
    assert_int_equal(open_path(data_root, "/hello%20world.txt", &f), 200);
    assert_string_equal(f.content_type, "text/plain; charset=utf-8");
    gqlx_static_close(&f);
}

/* A folder stands for its index.html; without one it is not found. */
static void test_folders(void **state)
{
    (void)state;
    size_t len;
    static const char *const roots[] = {"", "/", "//"};
    for (size_t i = 0; i < 3; i++) {
        char *body = body_of(data_root, roots[i], &len);
        assert_non_null(strstr(body, "<h1>Static files</h1>"));
        gqlx_free(body);
    }
    static const char *const subs[] = {"/sub", "/sub/", "/sub/index.html"};
    for (size_t i = 0; i < 3; i++) {
        char *body = body_of(data_root, subs[i], &len);
        assert_non_null(strstr(body, "sub index"));
        gqlx_free(body);
    }
    gqlx_static_file f;
    assert_int_equal(open_path(data_root, "/sub/", &f), 200);
    assert_string_equal(f.content_type, "text/html; charset=utf-8");
    gqlx_static_close(&f);
    assert_int_equal(status_of("/noindex"), 404);
    assert_int_equal(status_of("/noindex/"), 404);
    assert_int_equal(status_of("/noindex/readme.txt"), 200);
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const not_found[] = {
        "/missing.js",
        "/app.js/",           /* a file is not a folder */
        "/../CMakeLists.txt", /* out of the folder */
        "/../../../CMakeLists.txt",
        "/sub/../app.js", /* ".." even where it would stay inside */
        "/%2e%2e/CMakeLists.txt",
        "/%2E%2E/%2E%2E/%2e%2e/CMakeLists.txt",
        "/.%2e/CMakeLists.txt",
        "/..",
        "/./app.js",
        "/sub/./page.txt",
        "/..%2fCMakeLists.txt", /* encoded slash */
        "/sub%2fpage.txt",
        "/sub%2Fpage.txt",
        "/%2f",
        "/app.js%00.txt", /* encoded NUL */
        "/app.js%00",
        "/sub\\page.txt", /* backslash, raw and encoded */
        "/%5c..%5cCMakeLists.txt",
        "/%5C",
        "/.hidden", /* hidden files */
        "/%2ehidden",
        "/sub/.hidden",
        "/hello world.txt%",
    };
    for (size_t i = 0; i < sizeof not_found / sizeof not_found[0]; i++) {
        int status = status_of(not_found[i]);
        if (not_found[i][strlen(not_found[i]) - 1] == '%') {
            if (status != 400)
                fail_msg("%s: got %d, expected 400", not_found[i], status);
        } else if (status != 404) {
            fail_msg("%s: got %d, expected 404", not_found[i], status);
        }
    }
    assert_int_equal(status_of("/%zz"), 400);
    assert_int_equal(status_of("/app%2"), 400);
    assert_int_equal(status_of("/hello%20world.txt"), 200);

    /* Overlong paths are not looked up. */
    char *longpath = gqlx_malloc(GQLX_STATIC_MAX_PATH + 2);
    assert_non_null(longpath);
    memset(longpath, 'a', GQLX_STATIC_MAX_PATH + 1);
    longpath[0] = '/';
    longpath[GQLX_STATIC_MAX_PATH + 1] = '\0';
    assert_int_equal(status_of(longpath), 404);
    gqlx_free(longpath);
}

/* ---- a scratch folder with links, a FIFO and large files ---------------------- */

typedef struct scratch {
    char base[64];       /* holds both folders */
    char root[PATH_MAX]; /* the served folder (real path) */
    char outside[PATH_MAX];
} scratch;

static void put_file(const char *dir, const char *name, const char *text)
{
    char path[PATH_MAX];
    join(path, sizeof path, dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void make_link(const char *target, const char *dir, const char *name)
{
    char path[PATH_MAX];
    join(path, sizeof path, dir, name);
    assert_int_equal(symlink(target, path), 0);
}

static void make_sized(const char *dir, const char *name, off_t size)
{
    char path[PATH_MAX];
    join(path, sizeof path, dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, size), 0); /* sparse: no disk used */
    close(fd);
}

static void scratch_make(scratch *s)
{
    strcpy(s->base, "/tmp/gqlx_static_XXXXXX");
    assert_non_null(mkdtemp(s->base));
    char dir[PATH_MAX];
    join(dir, sizeof dir, s->base, "root");
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_non_null(realpath(dir, s->root));
    join(dir, sizeof dir, s->base, "outside");
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_non_null(realpath(dir, s->outside));

    put_file(s->root, "inside.txt", "inside\n");
    put_file(s->outside, "secret.txt", "secret\n");
    char target[PATH_MAX + 16];
    make_link("inside.txt", s->root, "link_in.txt");
    join(target, sizeof target, s->outside, "secret.txt");
    make_link(target, s->root, "link_out.txt");
    make_link("../outside/secret.txt", s->root, "relative_out.txt");
    make_link(s->outside, s->root, "dir_out");
    make_link("/", s->root, "slash");
    make_link("missing.txt", s->root, "dangling.txt");
    make_link("loop_b", s->root, "loop_a");
    make_link("loop_a", s->root, "loop_b");
    join(dir, sizeof dir, s->root, "folder");
    assert_int_equal(mkdir(dir, 0755), 0);
    make_link(target, dir, "index.html"); /* a folder index leading out */
    join(dir, sizeof dir, s->root, "pipe");
    assert_int_equal(mkfifo(dir, 0644), 0);
    make_sized(s->root, "limit.bin", (off_t)GQLX_STATIC_MAX_FILE_BYTES);
    make_sized(s->root, "big.bin", (off_t)GQLX_STATIC_MAX_FILE_BYTES + 1);
    make_sized(s->root, "empty.txt", 0);
}

static void scratch_remove(scratch *s)
{
    static const char *const root_files[] = {
        "inside.txt", "link_in.txt",  "link_out.txt", "relative_out.txt", "dir_out",
        "slash",      "dangling.txt", "loop_a",       "loop_b",           "folder/index.html",
        "pipe",       "limit.bin",    "big.bin",      "empty.txt",
    };
    char path[PATH_MAX + 32];
    for (size_t i = 0; i < sizeof root_files / sizeof root_files[0]; i++) {
        join(path, sizeof path, s->root, root_files[i]);
        unlink(path);
    }
    join(path, sizeof path, s->root, "folder");
    rmdir(path);
    join(path, sizeof path, s->outside, "secret.txt");
    unlink(path);
    rmdir(s->outside);
    rmdir(s->root);
    rmdir(s->base);
}

static void test_links_and_special_files(void **state)
{
    (void)state;
    scratch s;
    scratch_make(&s);
    gqlx_static_file f;

    size_t len;
    char *body = body_of(s.root, "/link_in.txt", &len);
    assert_string_equal(body, "inside\n");
    gqlx_free(body);

    static const char *const not_found[] = {
        "/link_out.txt",     "/relative_out.txt", "/dir_out/secret.txt",
        "/slash/etc/passwd", "/dangling.txt",     "/loop_a",
        "/folder/",          "/folder",           "/pipe",
    };
    for (size_t i = 0; i < sizeof not_found / sizeof not_found[0]; i++) {
        int status = open_path(s.root, not_found[i], &f);
        gqlx_static_close(&f);
        if (status != 404)
            fail_msg("%s: got %d, expected 404", not_found[i], status);
    }

    /* The size limit: at it, served; above it, refused with a reason. */
    assert_int_equal(open_path(s.root, "/limit.bin", &f), 200);
    assert_int_equal(f.size, GQLX_STATIC_MAX_FILE_BYTES);
    assert_string_equal(f.content_type, "application/octet-stream");
    assert_false(f.compressible);
    gqlx_static_close(&f);
    assert_int_equal(open_path(s.root, "/big.bin", &f), 500);
    assert_non_null(f.error);
    assert_int_equal(f.fd, -1);

    body = body_of(s.root, "/empty.txt", &len);
    assert_int_equal(len, 0);
    assert_string_equal(body, "");
    gqlx_free(body);

    /* Reading runs out of memory cleanly. */
    assert_int_equal(open_path(s.root, "/inside.txt", &f), 200);
    char *data = (char *)&f; /* must be reset */
    gqlx_fault_set(0);
    assert_int_equal(gqlx_static_read(&f, &data, &len), GQL_ENOMEM);
    gqlx_fault_reset();
    assert_null(data);
    gqlx_static_close(&f);

    scratch_remove(&s);
}

/* ---- conditional requests ------------------------------------------------------- */

static void test_not_modified(void **state)
{
    (void)state;
    gqlx_static_file f;
    assert_int_equal(open_path(data_root, "/style.css", &f), 200);
    gqlx_static_close(&f);
    const char *opaque = f.etag + 2; /* without W/ */
    char list[256];

    assert_false(gqlx_static_not_modified(&f, NULL, NULL));
    assert_true(gqlx_static_not_modified(&f, f.etag, NULL));
    assert_true(gqlx_static_not_modified(&f, opaque, NULL)); /* weak comparison */
    snprintf(list, sizeof list, "\"a\", W/\"b\" ,%s", f.etag);
    assert_true(gqlx_static_not_modified(&f, list, NULL));
    snprintf(list, sizeof list, "\"a\",%s  ", opaque);
    assert_true(gqlx_static_not_modified(&f, list, NULL));
    assert_true(gqlx_static_not_modified(&f, "*", NULL));
    assert_true(gqlx_static_not_modified(&f, " * ", NULL));
    assert_false(gqlx_static_not_modified(&f, "\"other\"", NULL));
    assert_false(gqlx_static_not_modified(&f, "W/\"other\", \"x\"", NULL));
    assert_false(gqlx_static_not_modified(&f, "", NULL));
    assert_false(gqlx_static_not_modified(&f, "*, \"a\"", NULL));
    snprintf(list, sizeof list, "junk %s", f.etag); /* malformed: no match */
    assert_false(gqlx_static_not_modified(&f, list, NULL));
    snprintf(list, sizeof list, "%.*s", (int)strlen(f.etag) - 1, f.etag); /* unterminated */
    assert_false(gqlx_static_not_modified(&f, list, NULL));

    /* If-Modified-Since: the file's own date and later dates match. */
    char date[GQLX_HTTP_DATE_LEN];
    assert_true(gqlx_static_not_modified(&f, NULL, f.last_modified));
    gqlx_httpdate_format(f.mtime + 1, date);
    assert_true(gqlx_static_not_modified(&f, NULL, date));
    gqlx_httpdate_format(f.mtime - 1, date);
    assert_false(gqlx_static_not_modified(&f, NULL, date));
    assert_false(gqlx_static_not_modified(&f, NULL, "yesterday"));
    assert_false(gqlx_static_not_modified(&f, NULL, ""));

    /* If-None-Match decides alone when present. */
    assert_false(gqlx_static_not_modified(&f, "\"other\"", f.last_modified));
    gqlx_httpdate_format(f.mtime - 1, date);
    assert_true(gqlx_static_not_modified(&f, f.etag, date));
}

/* ---- HTTP dates --------------------------------------------------------------------- */

static void test_dates(void **state)
{
    (void)state;
    char out[GQLX_HTTP_DATE_LEN];
    gqlx_httpdate_format(0, out);
    assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 GMT");
    gqlx_httpdate_format(784111777, out);
    assert_string_equal(out, "Sun, 06 Nov 1994 08:49:37 GMT");
    gqlx_httpdate_format(951782400, out);
    assert_string_equal(out, "Tue, 29 Feb 2000 00:00:00 GMT");
    gqlx_httpdate_format(-1, out);
    assert_string_equal(out, "Wed, 31 Dec 1969 23:59:59 GMT");
    gqlx_httpdate_format(4102444799, out);
    assert_string_equal(out, "Thu, 31 Dec 2099 23:59:59 GMT");

    int64_t t = 0;
    assert_true(gqlx_httpdate_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t));
    assert_int_equal(t, 784111777);
    assert_true(gqlx_httpdate_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t));
    assert_int_equal(t, 784111777);
    assert_true(gqlx_httpdate_parse("Sun Nov  6 08:49:37 1994", &t));
    assert_int_equal(t, 784111777);
    assert_true(gqlx_httpdate_parse("Sun Nov 16 08:49:37 1994", &t));
    assert_int_equal(t, 784111777 + 10 * 86400);
    assert_true(gqlx_httpdate_parse("Thursday, 01-Jan-15 00:00:00 GMT", &t));
    assert_int_equal(t, 1420070400);
    assert_true(gqlx_httpdate_parse("Tue, 29 Feb 2000 00:00:00 GMT", &t));
    assert_int_equal(t, 951782400);
    assert_true(gqlx_httpdate_parse("Wed, 31 Dec 1969 23:59:59 GMT", &t));
    assert_int_equal(t, -1);
    assert_true(gqlx_httpdate_parse("Sat, 31 Dec 2016 23:59:60 GMT", &t)); /* leap second */
    assert_int_equal(t, 1483228799);

    static const char *const invalid[] = {
        "",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 Now 1994 08:49:37 GMT",
        "Sun, 32 Jan 1994 08:49:37 GMT",
        "Sun, 00 Jan 1994 08:49:37 GMT",
        "Sun, 29 Feb 1900 00:00:00 GMT",
        "Sun, 30 Feb 2000 00:00:00 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "1994-11-06T08:49:37Z",
        "784111777",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        if (gqlx_httpdate_parse(invalid[i], &t))
            fail_msg("\"%s\" parsed as a date", invalid[i]);

    /* Format and parse agree with each other and with gmtime over two
     * centuries, every 1,000,003 seconds (odd, so times of day vary). */
    for (int64_t s = -2208988800LL; s < 4102444800LL; s += 1000003) {
        gqlx_httpdate_format(s, out);
        assert_true(gqlx_httpdate_parse(out, &t));
        assert_int_equal(t, s);
        time_t tt = (time_t)s;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        char expected[64];
        static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        snprintf(expected, sizeof expected, "%s, %02d %s %04d %02d:%02d:%02d GMT", wd[tm.tm_wday],
                 tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
        assert_string_equal(out, expected);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mime),
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_folders),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_links_and_special_files),
        cmocka_unit_test(test_not_modified),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
