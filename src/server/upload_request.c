/* src/server/upload_request.c — the GraphQL multipart request layout
 * (server/upload_request.h): "operations" rewritten with upload
 * references where "map" says files belong, and the table of uploads. */
#include "server/upload_request.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/hash.h"
#include "core/json.h"
#include "gql/status.h"

static const char oom_message[] = "Out of memory while reading the multipart request";

static int fail_oom(gqlx_upload_request *out)
{
    out->message = oom_message;
    return 500;
}

/* The message goes to the arena: callers keep it past this struct's life
 * (the error response is written later). */
__attribute__((format(printf, 4, 5))) static int fail(gqlx_arena *arena, gqlx_upload_request *out,
                                                      int status, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    out->message = gqlx_arena_strndup(arena, text, strlen(text));
    if (out->message == NULL)
        return fail_oom(out);
    return status;
}

const char *gqlx_upload_form_field(const gqlx_multipart *mp, const char *name, size_t *len)
{
    const gqlx_multipart_part *p = gqlx_multipart_field(mp, name);
    if (len != NULL)
        *len = p ? p->size : 0;
    return p ? p->data : NULL;
}

/* Parses a plain field as JSON into the arena; 0, 400 or 500. */
static int parse_field(gqlx_arena *arena, const gqlx_multipart_part *p, const char *what,
                       gqlx_json **dom, gqlx_upload_request *out)
{
    gqlx_json_error err;
    int st = gqlx_json_parse(arena, p->data, p->size, NULL, dom, &err);
    if (st == GQL_ENOMEM)
        return fail_oom(out);
    if (st != GQL_OK)
        return fail(arena, out, 400, "The '%s' multipart field is not valid JSON: %s", what,
                    err.message);
    return 0;
}

/* An array index in a path: decimal digits, no leading zero (object-path
 * reads "01" as a key, which an array does not have). */
static bool parse_index(const char *s, size_t n, size_t *out)
{
    if (n == 0 || n > 9 || (n > 1 && s[0] == '0'))
        return false;
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* Objects with more members than this are searched through the index;
 * scanning fewer is as quick. */
#define SCAN_MEMBERS 8u

/* The members of the operations' large objects by (object, key). Walking
 * a path by scanning each object costs its size, so a map of many paths
 * into one large object (both fields within the body limit) would cost
 * paths times members: minutes of the event loop for a body of a few MB. */
typedef struct member_slot {
    const gqlx_json *obj; /* NULL: an empty slot */
    gqlx_json_member *member;
} member_slot;

typedef struct member_index {
    member_slot *slots; /* open addressing; a power of two of them */
    size_t mask;
    uint64_t seed;
} member_index;

static size_t bucket(const member_index *ix, const gqlx_json *obj, gqlx_slice key)
{
    return (size_t)gqlx_hash(key.ptr, key.len, ix->seed ^ (uint64_t)(uintptr_t)obj) & ix->mask;
}

/* Counts the members of the large objects under v and, once the slots
 * exist, files them. The JSON reader's depth limit bounds the recursion. */
static size_t index_members(member_index *ix, gqlx_json *v)
{
    size_t n = 0;
    if (v->kind == GQLX_JSON_ARRAY) {
        for (size_t i = 0; i < v->len; i++)
            n += index_members(ix, &v->u.items[i]);
    } else if (v->kind == GQLX_JSON_OBJECT) {
        for (size_t i = 0; i < v->len; i++) {
            gqlx_json_member *m = &v->u.members[i];
            if (v->len > SCAN_MEMBERS) {
                n++;
                if (ix->slots != NULL) {
                    size_t k = bucket(ix, v, m->key);
                    while (ix->slots[k].obj != NULL)
                        k = (k + 1) & ix->mask;
                    ix->slots[k] = (member_slot){v, m};
                }
            }
            n += index_members(ix, &m->value);
        }
    }
    return n;
}

static bool index_build(gqlx_arena *arena, member_index *ix, gqlx_json *ops)
{
    memset(ix, 0, sizeof *ix);
    size_t n = index_members(ix, ops), cap = 16;
    if (n == 0)
        return true;
    while (cap < 2 * n)
        cap *= 2;
    ix->slots = GQLX_ARRAY(arena, member_slot, cap);
    if (ix->slots == NULL)
        return false;
    memset(ix->slots, 0, cap * sizeof *ix->slots);
    ix->mask = cap - 1;
    ix->seed = gqlx_hash_seed();
    index_members(ix, ops);
    return true;
}

static gqlx_json *member(const member_index *ix, const gqlx_json *obj, gqlx_slice key)
{
    if (obj->len <= SCAN_MEMBERS) {
        for (size_t k = 0; k < obj->len; k++)
            if (gqlx_slice_eq(obj->u.members[k].key, key))
                return &obj->u.members[k].value;
        return NULL;
    }
    for (size_t k = bucket(ix, obj, key); ix->slots[k].obj != NULL; k = (k + 1) & ix->mask)
        if (ix->slots[k].obj == obj && gqlx_slice_eq(ix->slots[k].member->key, key))
            return &ix->slots[k].member->value;
    return NULL;
}

/* The value at a dot-separated path of the operations, or NULL. */
static gqlx_json *walk(const member_index *ix, gqlx_json *node, const char *path, size_t len)
{
    size_t i = 0;
    for (;;) {
        const char *dot = memchr(path + i, '.', len - i);
        size_t n = dot ? (size_t)(dot - (path + i)) : len - i;
        const char *seg = path + i;
        gqlx_json *next = NULL;
        if (node->kind == GQLX_JSON_OBJECT) {
            next = member(ix, node, gqlx_slice_make(seg, n));
        } else if (node->kind == GQLX_JSON_ARRAY) {
            size_t idx;
            if (parse_index(seg, n, &idx) && idx < node->len)
                next = &node->u.items[idx];
        }
        if (next == NULL)
            return NULL;
        node = next;
        if (dot == NULL)
            return node;
        i += n + 1;
    }
}

/* Turns the null at *slot into {"$upload":index}. */
static bool make_reference(gqlx_arena *arena, gqlx_json *slot, size_t index)
{
    gqlx_json_member *m = GQLX_NEW(arena, gqlx_json_member);
    if (m == NULL)
        return false;
    m->key = GQLX_SLICE_LIT("$upload");
    m->value.kind = GQLX_JSON_NUMBER;
    m->value.flags = GQLX_JSON_INTEGER | GQLX_JSON_INT64;
    m->value.i64 = (int64_t)index;
    m->value.d = (double)index;
    m->value.len = 0; /* no text: the writer prints the double */
    memset(slot, 0, sizeof *slot);
    slot->kind = GQLX_JSON_OBJECT;
    slot->len = 1;
    slot->u.members = m;
    return true;
}

int gqlx_upload_request_build(gqlx_arena *arena, const gqlx_multipart *mp, gqlx_upload_request *out)
{
    memset(out, 0, sizeof *out);
    const gqlx_multipart_part *ops_part = gqlx_multipart_field(mp, "operations");
    if (ops_part == NULL)
        return 0;

    gqlx_json *ops;
    int st = parse_field(arena, ops_part, "operations", &ops, out);
    if (st != 0)
        return st;
    if (ops->kind != GQLX_JSON_OBJECT && ops->kind != GQLX_JSON_ARRAY)
        return fail(arena, out, 400,
                    "The 'operations' multipart field must be a JSON object or array, not %s",
                    gqlx_json_kind_name(ops->kind));
    out->batch = ops->kind == GQLX_JSON_ARRAY;

    const gqlx_multipart_part *map_part = gqlx_multipart_field(mp, "map");
    if (map_part == NULL) {
        if (gqlx_multipart_find(mp, "map", 3) != NULL)
            return fail(arena, out, 400,
                        "The 'map' multipart field must be a plain field, not a file");
        return fail(arena, out, 400, "The 'map' multipart field is missing");
    }
    gqlx_json *map;
    st = parse_field(arena, map_part, "map", &map, out);
    if (st != 0)
        return st;
    if (map->kind != GQLX_JSON_OBJECT)
        return fail(arena, out, 400, "The 'map' multipart field must be a JSON object, not %s",
                    gqlx_json_kind_name(map->kind));

    gql_upload *table = map->len ? GQLX_ARRAY(arena, gql_upload, map->len) : NULL;
    member_index ix;
    if ((map->len && table == NULL) || !index_build(arena, &ix, ops))
        return fail_oom(out);
    size_t count = 0;
    for (size_t k = 0; k < map->len; k++) {
        const gqlx_json_member *entry = &map->u.members[k];
        int klen = entry->key.len > 80 ? 80 : (int)entry->key.len;
        const char *key = entry->key.ptr;
        if (entry->value.kind != GQLX_JSON_ARRAY)
            return fail(arena, out, 400,
                        "The 'map' entry '%.*s' must be an array of operations paths, not %s", klen,
                        key, gqlx_json_kind_name(entry->value.kind));
        const gqlx_multipart_part *file = gqlx_multipart_find(mp, key, entry->key.len);
        if (file == NULL)
            return fail(arena, out, 400, "The file field '%.*s' named in 'map' is missing", klen,
                        key);
        if (!file->is_file)
            return fail(arena, out, 400, "The field '%.*s' named in 'map' is not a file", klen,
                        key);
        if (entry->value.len == 0)
            continue;
        for (size_t i = 0; i < entry->value.len; i++) {
            const gqlx_json *path = &entry->value.u.items[i];
            if (path->kind != GQLX_JSON_STRING)
                return fail(arena, out, 400,
                            "The 'map' entry '%.*s' holds %s where an operations path "
                            "string belongs",
                            klen, key, gqlx_json_kind_name(path->kind));
            int plen = path->len > 100 ? 100 : (int)path->len;
            gqlx_json *slot = walk(&ix, ops, path->u.str, path->len);
            if (slot == NULL)
                return fail(arena, out, 400,
                            "The operations path '%.*s' of file field '%.*s' does not exist "
                            "in 'operations'",
                            plen, path->u.str, klen, key);
            if (slot->kind != GQLX_JSON_NULL)
                return fail(arena, out, 400,
                            "The operations path '%.*s' of file field '%.*s' must hold null, "
                            "not %s",
                            plen, path->u.str, klen, key, gqlx_json_kind_name(slot->kind));
            if (!make_reference(arena, slot, count))
                return fail_oom(out);
        }
        gql_upload *u = &table[count++];
        u->name = file->name;
        u->filename = file->filename;
        u->content_type = file->content_type ? file->content_type : "text/plain";
        u->size = file->size;
        u->data = file->data;
        u->fd = file->fd;
    }

    gqlx_buf text;
    gqlx_buf_init(&text, 0);
    if (gqlx_json_write_value(&text, ops, GQLX_JSON_WRITE_NUMBER_TEXT) != GQL_OK) {
        gqlx_buf_free(&text);
        return fail_oom(out);
    }
    char *copy = gqlx_arena_strndup(arena, text.data, text.len);
    out->operations_len = text.len;
    gqlx_buf_free(&text);
    if (copy == NULL)
        return fail_oom(out);
    out->operations = copy;
    out->uploads = count ? table : NULL;
    out->upload_count = count;
    return 0;
}
