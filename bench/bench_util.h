/* bench/bench_util.h — helpers shared by the benchmark programs: a
 * monotonic clock, reading a whole file, and a file's base name. Header
 * only, so each benchmark stays one self-contained program. */
#ifndef GQL_BENCH_UTIL_H
#define GQL_BENCH_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds on the monotonic clock. */
static inline double bench_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads a whole file into a malloc'd buffer; NULL, after a message that
 * starts with `prog`, on error. */
static inline char *bench_read_file(const char *prog, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 20, n = 0;
    char *data = malloc(cap);
    while (data != NULL) {
        n += fread(data + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *bigger = realloc(data, cap * 2);
        if (bigger == NULL) {
            free(data);
            data = NULL;
            break;
        }
        data = bigger;
        cap *= 2;
    }
    bool bad = data == NULL || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: %s: cannot read\n", prog, path);
        free(data);
        return NULL;
    }
    *len = n;
    return data;
}

/* The part of path after its last '/'. */
static inline const char *bench_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

#endif
