/* bench/bench_execute.c — how fast gqld executes requests, engine only.
 *
 * Runs the execution workloads of bench/js/execute.mjs through the public
 * API, in process: gql_execute with a plan cache (gql_plan_cache), so that
 * after the first request parsing and validation are skipped and what is
 * timed is execution and the writing of the response text, then
 * gql_response_free. Workloads (bench/README.md, "Execution"):
 *   list100        bench/data/exec/list100.graphql: 100 items of ten
 *                  scalars and two small nested objects;
 *   nested         bench/data/exec/nested.graphql: a catalogue tree of
 *                  about 3,000 fields;
 *   introspection  bench/data/introspection_query.graphql on GitHub's
 *                  public schema, built with assume_valid.
 * list100 and nested run twice on bench/data/exec/schema.graphql: with the
 * default resolver reading bench/data/exec/data.json as the root value
 * ("resolvers":"default"), and with a C resolver bound to every field
 * (gql_schema_builder_resolver) reading C structs built from the same data
 * and returning gql_object pointers into them ("resolvers":"functions").
 * After WARMUP requests each is timed for about --seconds seconds. One
 * JSON line per (workload, resolvers):
 *   {"name":"execute","impl":"gqld","workload":W,"resolvers":R,"fields":F,
 *    "out_bytes":B,"out_hash":H,"iterations":K,"ms_per_op":X,"ms_min":Y,
 *    "ops_per_s":Z,"allocs_per_op":A,"allocs_per_field":P,
 *    "heap_bytes":M,"arena_bytes":U,"arena_reserved":R,"cache_hits":C}
 * fields counts the members of every object under "data" in the response;
 * out_hash is the FNV-1a hash (32 bits, hex) of the response text, to
 * compare with graphql-js's; allocs_per_op counts gqlx_malloc and
 * gqlx_realloc calls per request (gqlx_alloc_count); heap_bytes is the
 * growth of malloc's bytes in use (mallinfo2) while one response is alive:
 * the request's arena and response text; arena_bytes and arena_reserved
 * are what the response's arena holds (used, and taken from malloc).
 *
 * Usage: bench_execute [--seconds S] [--iterations N]
 *                      [--resolvers default|functions|executed] [--dump DIR] [WORKLOAD...]
 * (from the source root). --iterations N times exactly N requests, without
 * warm-up (for callgrind); --resolvers runs one variant of list100 and
 * nested (default also runs both introspection variants; executed runs
 * introspection's executed variant alone, so that an instruction count
 * covers it and nothing else); --dump writes each response to
 * DIR/gqld-W-R.json. Exit status 1
 * when an input cannot be read, a schema does not build or a response has
 * errors. */
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "execution/engine.h" /* the response's arena, for arena_bytes */
#include "gql/builder.h"
#include "gql/exec.h"
#include "gql/json.h"
#include "gql/resolve.h"
#include "gql/schema.h"
#include "gql/status.h"
#include "gql/value.h"

#include "bench_util.h"

#define PROG            "bench_execute"
#define DEFAULT_SECONDS 2.0
#define WARMUP          20
#define COUNTED         50 /* requests whose allocations are counted */
#define GITHUB_SCHEMA   "node_modules/@octokit/graphql-schema/schema.graphql"
#define EXEC_DIR        "bench/data/exec/"

/* ---- the data as an application holds it ----------------------------- */

/* A string, or null when p is NULL. */
typedef struct text {
    const char *p;
    uint32_t len;
} text;

typedef enum sale_state { DRAFT, ACTIVE, SOLD_OUT, ARCHIVED } sale_state;
static const char *const status_names[] = {"DRAFT", "ACTIVE", "SOLD_OUT", "ARCHIVED"};

typedef struct seller {
    text id, name, email;
    bool verified, has_score;
    double score;
} seller;

typedef struct location {
    text city, country;
    double latitude, longitude;
} location;

typedef struct review {
    text id, title;
    int64_t stars;
    bool helpful;
} review;

/* Lists are arrays of pointers, as gql_object_list takes them. */
typedef struct list {
    void **at;
    size_t n;
} list;

typedef struct item {
    text id, sku, name, description;
    double price, rating;
    int64_t stock, views;
    bool has_rating, has_views, available;
    sale_state state;
    seller seller;
    location *location; /* NULL: none */
    list reviews;
} item;

typedef struct category {
    text id, name;
    list items;
} category;

typedef struct department {
    text id, name;
    list categories;
} department;

typedef struct catalog {
    text id, name, updated;
    list departments;
} catalog;

typedef struct shop {
    list items;
    catalog *catalog;
} shop;

/* Every struct and string of the data comes from one block. */
typedef struct store {
    char *base;
    size_t used, cap;
} store;

static void *store_take(store *s, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (s->cap - s->used < size) {
        fprintf(stderr, PROG ": the data does not fit its store\n");
        exit(1);
    }
    void *p = s->base + s->used;
    s->used += size;
    memset(p, 0, size);
    return p;
}

static text take_text(store *s, const gql_json *obj, const char *key)
{
    size_t len;
    const char *src = gql_json_string(gql_json_member(obj, key), &len);
    text t = {NULL, 0};
    if (src != NULL) {
        char *p = store_take(s, len + 1);
        memcpy(p, src, len);
        t.p = p;
        t.len = (uint32_t)len;
    }
    return t;
}

static bool has(const gql_json *obj, const char *key)
{
    return gql_json_type(gql_json_member(obj, key)) != GQL_JSON_NULL;
}

static double num(const gql_json *obj, const char *key)
{
    return gql_json_float(gql_json_member(obj, key));
}

static int64_t integer(const gql_json *obj, const char *key)
{
    return gql_json_int(gql_json_member(obj, key));
}

static list take_list(store *s, const gql_json *obj, const char *key,
                      void *(*take)(store *, const gql_json *))
{
    const gql_json *arr = gql_json_member(obj, key);
    list l = {store_take(s, gql_json_length(arr) * sizeof(void *) + 1), gql_json_length(arr)};
    for (size_t i = 0; i < l.n; i++)
        l.at[i] = take(s, gql_json_item(arr, i));
    return l;
}

static void *take_review(store *s, const gql_json *j)
{
    review *r = store_take(s, sizeof *r);
    r->id = take_text(s, j, "id");
    r->title = take_text(s, j, "title");
    r->stars = integer(j, "stars");
    r->helpful = gql_json_bool(gql_json_member(j, "helpful"));
    return r;
}

static void *take_item(store *s, const gql_json *j)
{
    item *it = store_take(s, sizeof *it);
    it->id = take_text(s, j, "id");
    it->sku = take_text(s, j, "sku");
    it->name = take_text(s, j, "name");
    it->description = take_text(s, j, "description");
    it->price = num(j, "price");
    it->has_rating = has(j, "rating");
    it->rating = num(j, "rating");
    it->stock = integer(j, "stock");
    it->has_views = has(j, "views");
    it->views = integer(j, "views");
    it->available = gql_json_bool(gql_json_member(j, "available"));
    size_t len;
    const char *st = gql_json_string(gql_json_member(j, "status"), &len);
    for (int k = 0; k < 4; k++)
        if (st != NULL && strlen(status_names[k]) == len && memcmp(st, status_names[k], len) == 0)
            it->state = (sale_state)k;
    const gql_json *sj = gql_json_member(j, "seller");
    it->seller.id = take_text(s, sj, "id");
    it->seller.name = take_text(s, sj, "name");
    it->seller.email = take_text(s, sj, "email");
    it->seller.verified = gql_json_bool(gql_json_member(sj, "verified"));
    it->seller.has_score = has(sj, "score");
    it->seller.score = num(sj, "score");
    if (has(j, "location")) {
        const gql_json *lj = gql_json_member(j, "location");
        it->location = store_take(s, sizeof *it->location);
        it->location->city = take_text(s, lj, "city");
        it->location->country = take_text(s, lj, "country");
        it->location->latitude = num(lj, "latitude");
        it->location->longitude = num(lj, "longitude");
    }
    it->reviews = take_list(s, j, "reviews", take_review);
    return it;
}

static void *take_category(store *s, const gql_json *j)
{
    category *c = store_take(s, sizeof *c);
    c->id = take_text(s, j, "id");
    c->name = take_text(s, j, "name");
    c->items = take_list(s, j, "items", take_item);
    return c;
}

static void *take_department(store *s, const gql_json *j)
{
    department *d = store_take(s, sizeof *d);
    d->id = take_text(s, j, "id");
    d->name = take_text(s, j, "name");
    d->categories = take_list(s, j, "categories", take_category);
    return d;
}

static shop *take_shop(store *s, const gql_json *root)
{
    shop *sh = store_take(s, sizeof *sh);
    sh->items = take_list(s, root, "items", take_item);
    const gql_json *cj = gql_json_member(root, "catalog");
    catalog *c = store_take(s, sizeof *c);
    c->id = take_text(s, cj, "id");
    c->name = take_text(s, cj, "name");
    c->updated = take_text(s, cj, "updated");
    c->departments = take_list(s, cj, "departments", take_department);
    sh->catalog = c;
    return sh;
}

/* ---- resolvers: one per field, as an application writes them ------------ */

static gql_value text_value(text t)
{
    return t.p != NULL ? gql_string(t.p, t.len) : gql_null();
}

#define PARENT(type) type *o = parent.u.ptr
#define RESOLVER(type, field, expr)                                                                \
    static gql_value type##_##field(gql_info *info, gql_value parent)                              \
    {                                                                                              \
        (void)info;                                                                                \
        PARENT(type);                                                                              \
        return expr;                                                                               \
    }

RESOLVER(shop, items, gql_object_list(o->items.at, o->items.n, "Item"))
RESOLVER(shop, catalog, gql_object(o->catalog, "Catalog"))
RESOLVER(item, id, text_value(o->id))
RESOLVER(item, sku, text_value(o->sku))
RESOLVER(item, name, text_value(o->name))
RESOLVER(item, description, text_value(o->description))
RESOLVER(item, price, gql_float(o->price))
RESOLVER(item, rating, o->has_rating ? gql_float(o->rating) : gql_null())
RESOLVER(item, stock, gql_int(o->stock))
RESOLVER(item, views, o->has_views ? gql_int(o->views) : gql_null())
RESOLVER(item, available, gql_bool(o->available))
RESOLVER(item, status, gql_enum(status_names[o->state]))
RESOLVER(item, seller, gql_object(&o->seller, "Seller"))
RESOLVER(item, location, gql_object(o->location, "Location"))
RESOLVER(item, reviews, gql_object_list(o->reviews.at, o->reviews.n, "Review"))
RESOLVER(seller, id, text_value(o->id))
RESOLVER(seller, name, text_value(o->name))
RESOLVER(seller, email, text_value(o->email))
RESOLVER(seller, verified, gql_bool(o->verified))
RESOLVER(seller, score, o->has_score ? gql_float(o->score) : gql_null())
RESOLVER(location, city, text_value(o->city))
RESOLVER(location, country, text_value(o->country))
RESOLVER(location, latitude, gql_float(o->latitude))
RESOLVER(location, longitude, gql_float(o->longitude))
RESOLVER(review, id, text_value(o->id))
RESOLVER(review, stars, gql_int(o->stars))
RESOLVER(review, title, text_value(o->title))
RESOLVER(review, helpful, gql_bool(o->helpful))
RESOLVER(catalog, id, text_value(o->id))
RESOLVER(catalog, name, text_value(o->name))
RESOLVER(catalog, updated, text_value(o->updated))
RESOLVER(catalog, departments, gql_object_list(o->departments.at, o->departments.n, "Department"))
RESOLVER(department, id, text_value(o->id))
RESOLVER(department, name, text_value(o->name))
RESOLVER(department, categories, gql_object_list(o->categories.at, o->categories.n, "Category"))
RESOLVER(category, id, text_value(o->id))
RESOLVER(category, name, text_value(o->name))
RESOLVER(category, items, gql_object_list(o->items.at, o->items.n, "Item"))

static const struct binding {
    const char *coordinate;
    gql_resolve_fn fn;
} bindings[] = {
    {"Query.items", shop_items},
    {"Query.catalog", shop_catalog},
    {"Item.id", item_id},
    {"Item.sku", item_sku},
    {"Item.name", item_name},
    {"Item.description", item_description},
    {"Item.price", item_price},
    {"Item.rating", item_rating},
    {"Item.stock", item_stock},
    {"Item.views", item_views},
    {"Item.available", item_available},
    {"Item.status", item_status},
    {"Item.seller", item_seller},
    {"Item.location", item_location},
    {"Item.reviews", item_reviews},
    {"Seller.id", seller_id},
    {"Seller.name", seller_name},
    {"Seller.email", seller_email},
    {"Seller.verified", seller_verified},
    {"Seller.score", seller_score},
    {"Location.city", location_city},
    {"Location.country", location_country},
    {"Location.latitude", location_latitude},
    {"Location.longitude", location_longitude},
    {"Review.id", review_id},
    {"Review.stars", review_stars},
    {"Review.title", review_title},
    {"Review.helpful", review_helpful},
    {"Catalog.id", catalog_id},
    {"Catalog.name", catalog_name},
    {"Catalog.updated", catalog_updated},
    {"Catalog.departments", catalog_departments},
    {"Department.id", department_id},
    {"Department.name", department_name},
    {"Department.categories", department_categories},
    {"Category.id", category_id},
    {"Category.name", category_name},
    {"Category.items", category_items},
};

/* ---- schemas ------------------------------------------------------------ */

static void print_errors(const char *what, gql_errors *errs)
{
    for (size_t i = 0; errs != NULL && i < gql_errors_count(errs) && i < 5; i++)
        fprintf(stderr, PROG ": %s: %s\n", what, gql_errors_message(errs, i));
    gql_errors_free(errs);
}

static gql_schema *build_schema(const char *file, bool with_resolvers)
{
    size_t len;
    char *sdl = bench_read_file(PROG, file, &len);
    if (sdl == NULL)
        return NULL;
    gql_schema_opts so;
    gql_schema_opts_init(&so);
    so.assume_valid = 1;
    gql_errors *errs = NULL;
    gql_schema *schema = NULL;
    int rc;
    if (!with_resolvers) {
        rc = gql_schema_build(&schema, sdl, len, &so, &errs);
    } else {
        gql_schema_builder *b;
        rc = gql_schema_builder_new(&b, sdl, len, &so, &errs);
        for (size_t i = 0; rc == GQL_OK && i < sizeof bindings / sizeof bindings[0]; i++) {
            rc = gql_schema_builder_resolver(b, bindings[i].coordinate, bindings[i].fn, NULL);
            if (rc != GQL_OK) {
                fprintf(stderr, PROG ": cannot bind %s\n", bindings[i].coordinate);
                gql_schema_builder_free(b);
            }
        }
        if (rc == GQL_OK)
            rc = gql_schema_builder_finish(b, &schema);
    }
    free(sdl);
    if (rc != GQL_OK) {
        fprintf(stderr, PROG ": %s: %s\n", file, gql_strerror(rc));
        print_errors(file, errs);
        return NULL;
    }
    return schema;
}

/* ---- responses ------------------------------------------------------------ */

static size_t count_fields(const gql_json *v)
{
    size_t n = 0;
    switch (gql_json_type(v)) {
    case GQL_JSON_ARRAY:
        for (size_t i = 0; i < gql_json_length(v); i++)
            n += count_fields(gql_json_item(v, i));
        break;
    case GQL_JSON_OBJECT:
        for (size_t i = 0; i < gql_json_length(v); i++) {
            const char *key;
            size_t key_len;
            n += 1 + count_fields(gql_json_member_at(v, i, &key, &key_len));
        }
        break;
    default:
        break;
    }
    return n;
}

static uint32_t fnv1a(const char *s, size_t len)
{
    uint32_t h = 0x811c9dc5u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x01000193u;
    return h;
}

/* Bytes malloc holds for the program, mapped blocks included. */
static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* ---- one workload --------------------------------------------------------- */

typedef struct run_opts {
    double seconds;
    long iterations;
    const char *dump;
    const char *resolvers; /* "default", "functions" or "executed" alone; NULL: all */
} run_opts;

/* One request: executes and releases the response. Returns the status.
 * Not inlined, so that scripts/bench --callgrind can count the
 * instructions of the timed requests alone (--toggle-collect). */
__attribute__((noinline)) int bench_timed_request(const gql_schema *schema, const gql_request *req,
                                                  const gql_exec_opts *eo);

static int request_once(const gql_schema *schema, const gql_request *req, const gql_exec_opts *eo)
{
    gql_response *resp = NULL;
    int rc = gql_execute(schema, req, eo, &resp);
    if (rc == GQL_OK)
        rc = gql_response_status(resp) == GQL_OK && gql_response_error_count(resp) == 0
                 ? GQL_OK
                 : gql_response_status(resp);
    gql_response_free(resp);
    return rc;
}

int bench_timed_request(const gql_schema *schema, const gql_request *req, const gql_exec_opts *eo)
{
    return request_once(schema, req, eo);
}

/* The introspection query made to execute every time: a directive on
 * __schema means the operation no longer reads the schema alone, so gqld
 * does not answer it from the cached plan. */
static char *executed_variant(char *query, size_t *len)
{
    static const char from[] = "__schema {", to[] = "__schema @include(if: true) {";
    char *at = strstr(query, from);
    char *out = at ? malloc(*len + sizeof to) : NULL;
    if (out != NULL) {
        size_t head = (size_t)(at - query), tail = *len - head - (sizeof from - 1);
        memcpy(out, query, head);
        memcpy(out + head, to, sizeof to - 1);
        memcpy(out + head + sizeof to - 1, at + sizeof from - 1, tail);
        *len = head + sizeof to - 1 + tail;
        out[*len] = '\0';
    }
    free(query);
    return out;
}

static int bench_workload(const char *workload, const char *resolvers, const gql_schema *schema,
                          const char *query_file, gql_value root, const run_opts *ro)
{
    size_t qlen;
    char *query = bench_read_file(PROG, query_file, &qlen);
    if (query != NULL && strcmp(resolvers, "executed") == 0)
        query = executed_variant(query, &qlen);
    if (query == NULL)
        return 1;
    int status = 1;
    gql_plan_cache *cache = NULL;
    if (gql_plan_cache_new(&cache, 0) != GQL_OK) {
        free(query);
        return 1;
    }
    gql_exec_opts eo;
    gql_exec_opts_init(&eo);
    eo.cache = cache;
    gql_request req;
    gql_request_init(&req);
    req.query = query;
    req.query_len = qlen;
    req.root = root;

    /* The first request fills the cache; its response is checked, counted
     * and kept for the report. */
    gql_response *resp = NULL;
    gql_json_doc *doc = NULL;
    int rc = gql_execute(schema, &req, &eo, &resp);
    if (rc != GQL_OK) {
        fprintf(stderr, PROG ": %s: gql_execute: %s\n", workload, gql_strerror(rc));
        goto done;
    }
    size_t out_len;
    const char *out = gql_response_json(resp, &out_len);
    if (gql_response_status(resp) != GQL_OK || gql_response_error_count(resp) != 0) {
        fprintf(stderr, PROG ": %s: %.400s\n", workload, out);
        goto done;
    }
    if (ro->dump != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/gqld-%s-%s.json", ro->dump, workload, resolvers);
        FILE *f = fopen(path, "wb");
        if (f == NULL || fwrite(out, 1, out_len, f) != out_len)
            fprintf(stderr, PROG ": cannot write %s\n", path);
        if (f != NULL)
            fclose(f);
    }
    if (gql_json_parse(&doc, out, out_len, NULL) != GQL_OK) {
        fprintf(stderr, PROG ": %s: the response is not JSON\n", workload);
        goto done;
    }
    size_t fields = count_fields(gql_json_member(gql_json_doc_root(doc), "data"));
    uint32_t hash = fnv1a(out, out_len);
    gql_response_free(resp);
    resp = NULL;

    for (int i = 0; i < (ro->iterations > 0 ? 0 : WARMUP); i++)
        if (request_once(schema, &req, &eo) != GQL_OK)
            goto done;

    /* Memory and allocations of a request, in a run of their own. */
    size_t before = heap_in_use();
    if (gql_execute(schema, &req, &eo, &resp) != GQL_OK)
        goto done;
    size_t heap_bytes = heap_in_use() - before;
    size_t arena_used = gqlx_arena_used(&resp->arena);
    size_t arena_reserved = gqlx_arena_reserved(&resp->arena);
    gql_response_free(resp);
    resp = NULL;
    int counted = ro->iterations > 0 ? 2 : COUNTED;
    unsigned long a0 = gqlx_alloc_count();
    for (int i = 0; i < counted; i++)
        if (request_once(schema, &req, &eo) != GQL_OK)
            goto done;
    double allocs = (double)(gqlx_alloc_count() - a0) / counted;

    long n = 0;
    double min = 1e30, t0 = bench_now_s(), t = t0;
    while (ro->iterations > 0 ? n < ro->iterations : (n == 0 || t - t0 < ro->seconds)) {
        double start = t;
        if (bench_timed_request(schema, &req, &eo) != GQL_OK) {
            fprintf(stderr, PROG ": %s: a request failed\n", workload);
            goto done;
        }
        t = bench_now_s();
        if (t - start < min)
            min = t - start;
        n++;
    }
    size_t hits;
    gql_plan_cache_stats(cache, NULL, &hits, NULL);
    double mean_ms = (t - t0) * 1e3 / (double)n;
    printf("{\"name\":\"execute\",\"impl\":\"gqld\",\"workload\":\"%s\",\"resolvers\":\"%s\","
           "\"fields\":%zu,\"out_bytes\":%zu,\"out_hash\":\"%08x\",\"iterations\":%ld,"
           "\"seconds\":%.3f,\"ms_per_op\":%.5f,\"ms_min\":%.5f,\"ops_per_s\":%.2f,"
           "\"allocs_per_op\":%.2f,\"allocs_per_field\":%.4f,\"heap_bytes\":%zu,"
           "\"arena_bytes\":%zu,\"arena_reserved\":%zu,\"cache_hits\":%zu}\n",
           workload, resolvers, fields, out_len, hash, n, t - t0, mean_ms, min * 1e3, 1e3 / mean_ms,
           allocs, fields ? allocs / (double)fields : 0.0, heap_bytes, arena_used, arena_reserved,
           hits);
    fflush(stdout);
    status = 0;
done:
    gql_response_free(resp);
    gql_json_doc_free(doc);
    gql_plan_cache_free(cache);
    free(query);
    return status;
}

/* ---- main ------------------------------------------------------------------ */

static void usage(FILE *out)
{
    fprintf(out, "usage: " PROG " [--seconds S] [--iterations N]\n"
                 "       [--resolvers default|functions|executed] [--dump DIR]\n"
                 "       [list100|nested|introspection...]\n");
}

static bool wanted(char **names, int n, const char *workload)
{
    if (n == 0)
        return true;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], workload) == 0)
            return true;
    return false;
}

/* list100 and nested, with the default resolver and with C resolvers. */
static int bench_shop(char **names, int nnames, const run_opts *ro)
{
    if (!wanted(names, nnames, "list100") && !wanted(names, nnames, "nested"))
        return 0;
    size_t len;
    char *json_text = bench_read_file(PROG, EXEC_DIR "data.json", &len);
    if (json_text == NULL)
        return 1;
    gql_json_doc *data = NULL;
    gql_errors *errs = NULL;
    int rc = gql_json_parse(&data, json_text, len, &errs);
    free(json_text);
    if (rc != GQL_OK) {
        print_errors(EXEC_DIR "data.json", errs);
        return 1;
    }
    store st = {malloc(len * 2), 0, len * 2};
    if (st.base == NULL) {
        gql_json_doc_free(data);
        return 1;
    }
    shop *sh = take_shop(&st, gql_json_doc_root(data));

    int status = 0;
    gql_schema *plain = build_schema(EXEC_DIR "schema.graphql", false);
    gql_schema *bound = build_schema(EXEC_DIR "schema.graphql", true);
    if (plain == NULL || bound == NULL)
        status = 1;
    static const char *const workloads[] = {"list100", "nested"};
    for (size_t w = 0; status == 0 && w < 2; w++) {
        if (!wanted(names, nnames, workloads[w]))
            continue;
        char query_file[256];
        snprintf(query_file, sizeof query_file, EXEC_DIR "%s.graphql", workloads[w]);
        if (ro->resolvers == NULL || strcmp(ro->resolvers, "default") == 0)
            status |= bench_workload(workloads[w], "default", plain, query_file,
                                     gql_json_value(gql_json_doc_root(data)), ro);
        if (ro->resolvers == NULL || strcmp(ro->resolvers, "functions") == 0)
            status |= bench_workload(workloads[w], "functions", bound, query_file,
                                     gql_object(sh, "Query"), ro);
    }
    gql_schema_free(plain);
    gql_schema_free(bound);
    free(st.base);
    gql_json_doc_free(data);
    return status;
}

int main(int argc, char **argv)
{
    run_opts ro = {DEFAULT_SECONDS, 0, NULL, NULL};
    char **names = calloc((size_t)argc, sizeof *names);
    int nnames = 0;
    if (names == NULL)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            free(names);
            return 0;
        } else if (strcmp(a, "--seconds") == 0 && v != NULL) {
            ro.seconds = strtod(v, NULL);
            i++;
        } else if (strcmp(a, "--iterations") == 0 && v != NULL) {
            ro.iterations = strtol(v, NULL, 10);
            i++;
        } else if (strcmp(a, "--dump") == 0 && v != NULL) {
            ro.dump = v;
            i++;
        } else if (strcmp(a, "--resolvers") == 0 && v != NULL &&
                   (strcmp(v, "default") == 0 || strcmp(v, "functions") == 0 ||
                    strcmp(v, "executed") == 0)) {
            ro.resolvers = v;
            i++;
        } else if (strcmp(a, "list100") == 0 || strcmp(a, "nested") == 0 ||
                   strcmp(a, "introspection") == 0) {
            names[nnames++] = argv[i];
        } else {
            usage(stderr);
            free(names);
            return 2;
        }
    }
    if (!(ro.seconds > 0) || ro.iterations < 0) {
        usage(stderr);
        free(names);
        return 2;
    }

    int status = bench_shop(names, nnames, &ro);
    bool executed_only = ro.resolvers != NULL && strcmp(ro.resolvers, "executed") == 0;
    if (wanted(names, nnames, "introspection") &&
        (ro.resolvers == NULL || strcmp(ro.resolvers, "default") == 0 || executed_only)) {
        gql_schema *github = build_schema(GITHUB_SCHEMA, false);
        if (github == NULL) {
            status = 1;
        } else {
            if (!executed_only)
                status |= bench_workload("introspection", "default", github,
                                         "bench/data/introspection_query.graphql", gql_null(), &ro);
            status |= bench_workload("introspection", "executed", github,
                                     "bench/data/introspection_query.graphql", gql_null(), &ro);
        }
        gql_schema_free(github);
    }
    free(names);
    return status;
}
