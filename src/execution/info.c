/* src/execution/info.c — what resolvers can ask and do (include/gql/resolve.h). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "execution/engine.h"
#include "execution/scalar_call.h"
#include "gql/status.h"

/* ---- arguments -------------------------------------------------------------- */

const gql_json *gql_arg(const gql_info *info, const char *name)
{
    if (info == NULL || name == NULL)
        return NULL;
    return (const gql_json *)(const void *)gqlx_json_get_cstr(info->args, name);
}

const gql_json *gql_args(const gql_info *info)
{
    return info ? (const gql_json *)(const void *)info->args : NULL;
}

int64_t gql_arg_int(const gql_info *info, const char *name, int64_t fallback)
{
    const gql_json *v = gql_arg(info, name);
    return gql_json_type(v) == GQL_JSON_NUMBER ? gql_json_int(v) : fallback;
}

double gql_arg_float(const gql_info *info, const char *name, double fallback)
{
    const gql_json *v = gql_arg(info, name);
    return gql_json_type(v) == GQL_JSON_NUMBER ? gql_json_float(v) : fallback;
}

int gql_arg_bool(const gql_info *info, const char *name, int fallback)
{
    const gql_json *v = gql_arg(info, name);
    return gql_json_type(v) == GQL_JSON_BOOL ? gql_json_bool(v) : fallback;
}

const char *gql_arg_string(const gql_info *info, const char *name, size_t *len)
{
    return gql_json_string(gql_arg(info, name), len);
}

/* ---- the request and the field ------------------------------------------------ */

void *gql_info_context(const gql_info *info)
{
    return info ? info->x->context : NULL;
}

void *gql_info_user(const gql_info *info)
{
    return info ? info->x->user : NULL;
}

void *gql_info_data(const gql_info *info)
{
    return info ? info->data : NULL;
}

const char *gql_info_field_name(const gql_info *info)
{
    if (info == NULL)
        return NULL;
    if (info->decl != NULL)
        return info->decl->name->str;
    return info->pf->kind == GQLX_PFIELD_TYPE ? "__type" : "__schema";
}

const char *gql_info_parent_type(const gql_info *info)
{
    return info ? info->parent_type->name->str : NULL;
}

const char *gql_info_return_type(gql_info *info)
{
    if (info == NULL || info->decl == NULL)
        return NULL;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_type_ref_print(&b, info->decl->type);
    char *s = b.failed ? NULL : gqlx_arena_strndup(&info->x->arena, b.data, b.len);
    gqlx_buf_free(&b);
    return s;
}

int gql_info_operation(const gql_info *info)
{
    return info ? (int)info->x->op->operation : 0;
}

size_t gql_info_path_length(const gql_info *info)
{
    return info && info->path ? info->path->depth : 0;
}

gql_path_step gql_info_path_step(const gql_info *info, size_t i)
{
    gql_path_step step = {NULL, 0, 0};
    size_t n = gql_info_path_length(info);
    if (i >= n)
        return step;
    const gqlx_path *p = info->path;
    for (size_t k = n - 1; k > i; k--)
        p = p->prev;
    if (p->field != NULL) {
        step.key = p->field->key.ptr;
        step.key_len = p->field->key.len;
    } else {
        step.index = p->index;
    }
    return step;
}

/* Look-ahead names, collected once per resolver call. */
static size_t collect_selection(gql_info *info, const char ***names)
{
    *names = NULL;
    if (info->decl == NULL)
        return 0;
    const gqlx_type *t = info->decl->type->named;
    if (!gqlx_type_is_composite(t))
        return 0;
    if (t->kind == GQLX_TYPE_OBJECT) {
        const gqlx_fieldset *fs = gqlx_collect_children(&info->x->coll, info->pf, t);
        if (fs == NULL)
            return 0;
        const char **out = GQLX_ARRAY(&info->x->arena, const char *, fs->count ? fs->count : 1);
        if (out == NULL)
            return 0;
        size_t n = 0;
        for (uint32_t i = 0; i < fs->count; i++) {
            const char *nm = fs->fields[i].decl ? fs->fields[i].decl->name->str : "__typename";
            bool dup = false;
            for (size_t j = 0; j < n && !dup; j++)
                dup = strcmp(out[j], nm) == 0;
            if (!dup)
                out[n++] = nm;
        }
        *names = out;
        return n;
    }
    return gqlx_collect_names(&info->x->coll, info->pf, &info->x->arena, names);
}

static size_t selection_names(gql_info *info, const char ***names)
{
    if (info == NULL) {
        *names = NULL;
        return 0;
    }
    if (!info->selection_ready) {
        info->selection_count = collect_selection(info, &info->selection);
        info->selection_ready = true;
    }
    *names = info->selection;
    return info->selection_count;
}

size_t gql_info_selection_count(gql_info *info)
{
    const char **names;
    return selection_names(info, &names);
}

const char *gql_info_selection_name(gql_info *info, size_t i)
{
    const char **names;
    size_t n = selection_names(info, &names);
    return i < n ? names[i] : NULL;
}

int gql_info_selects(gql_info *info, const char *name)
{
    const char **names;
    size_t n = selection_names(info, &names);
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* ---- memory ----------------------------------------------------------------- */

void *gql_alloc(gql_info *info, size_t size)
{
    return info ? gqlx_arena_alloc(&info->x->arena, size ? size : 1, 16) : NULL;
}

gql_value *gql_alloc_values(gql_info *info, size_t n)
{
    if (info == NULL)
        return NULL;
    return gqlx_arena_zalloc(&info->x->arena, (n ? n : 1) * sizeof(gql_value),
                             _Alignof(gql_value));
}

gql_value gql_string_copy(gql_info *info, const char *s, size_t len)
{
    if (info == NULL || (s == NULL && len > 0))
        return gql_null();
    char *copy = gqlx_arena_memdup(&info->x->arena, len ? s : "", len ? len : 1);
    return copy ? gql_string(copy, len) : gql_null();
}

static void free_block(void *p)
{
    free(p);
}

gql_value gql_string_owned(gql_info *info, char *s, size_t len)
{
    if (s == NULL)
        return gql_null();
    if (gql_on_release(info, free_block, s) != GQL_OK)
        return gql_null();
    return gql_string(s, len);
}

int gql_on_release(gql_info *info, void (*fn)(void *arg), void *arg)
{
    if (fn == NULL)
        return GQL_EINVAL;
    gqlx_cleanup *c = info ? gqlx_malloc(sizeof *c) : NULL;
    if (c == NULL) {
        fn(arg);
        return info ? GQL_ENOMEM : GQL_EINVAL;
    }
    c->fn = fn;
    c->arg = arg;
    c->next = info->x->cleanups;
    info->x->cleanups = c;
    return GQL_OK;
}

/* ---- errors ----------------------------------------------------------------- */

__attribute__((format(printf, 3, 0))) static gql_value record(gql_info *info, const char *ext,
                                                             const char *fmt, va_list ap)
{
    gqlx_exec *x = info->x;
    gqlx_buf_clear(&x->msg);
    gqlx_buf_vprintf(&x->msg, fmt, ap);
    gqlx_exec_field_error(x, info->pf, info->path, x->msg.data ? x->msg.data : "", x->msg.len,
                          ext, ext ? strlen(ext) : 0);
    gqlx_buf_clear(&x->msg);
    return gqlx_error_value();
}

gql_value gql_error(gql_info *info, const char *fmt, ...)
{
    if (info == NULL || fmt == NULL)
        return gqlx_error_value();
    va_list ap;
    va_start(ap, fmt);
    gql_value v = record(info, NULL, fmt, ap);
    va_end(ap);
    return v;
}

gql_value gql_error_ext(gql_info *info, const char *extensions, const char *fmt, ...)
{
    if (info == NULL || fmt == NULL)
        return gqlx_error_value();
    va_list ap;
    va_start(ap, fmt);
    gql_value v = record(info, extensions, fmt, ap);
    va_end(ap);
    return v;
}
