/* src/execution/plan.c — preparing a query: parse, validate, size figures,
 * fragment lookup, and field collection. */
#include "execution/plan.h"

#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/errors.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/limits.h"
#include "execution/error_json.h"
#include "execution/introspection_resolve.h"
#include "execution/values.h"
#include "gql/status.h"
#include "language/parser.h"
#include "validation/validate.h"

/* ---- fragments ------------------------------------------------------------ */

static uint32_t frag_hash(gqlx_slice name)
{
    return (uint32_t)gqlx_hash(name.ptr, name.len, 0);
}

static bool index_fragments(gqlx_plan *p)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->doc->definitions.count; i++)
        n += p->doc->definitions.items[i]->kind == GQLX_KIND_FRAGMENT_DEFINITION;
    if (n == 0)
        return true;
    uint32_t cap = 8;
    while (cap < n * 2)
        cap *= 2;
    p->frag_slots = gqlx_arena_zalloc(&p->arena, cap * sizeof *p->frag_slots, _Alignof(void *));
    if (p->frag_slots == NULL)
        return false;
    p->frag_mask = cap - 1;
    for (uint32_t i = 0; i < p->doc->definitions.count; i++) {
        const gqlx_node *d = p->doc->definitions.items[i];
        if (d->kind != GQLX_KIND_FRAGMENT_DEFINITION)
            continue;
        const gqlx_fragment_def *f = GQLX_AS_CONST(gqlx_fragment_def, d);
        /* Validation rejects duplicates; the first definition wins. */
        for (uint32_t h = frag_hash(f->name);; h++) {
            const gqlx_fragment_def **slot = &p->frag_slots[h & p->frag_mask];
            if (*slot == NULL) {
                *slot = f;
                break;
            }
            if (gqlx_slice_eq((*slot)->name, f->name))
                break;
        }
    }
    return true;
}

const gqlx_fragment_def *gqlx_plan_fragment(const gqlx_plan *p, gqlx_slice name)
{
    if (p->frag_mask == 0)
        return NULL;
    for (uint32_t h = frag_hash(name);; h++) {
        const gqlx_fragment_def *f = p->frag_slots[h & p->frag_mask];
        if (f == NULL || gqlx_slice_eq(f->name, name))
            return f;
    }
}

/* ---- size figures ----------------------------------------------------------- */

typedef struct stats_ctx {
    gqlx_plan *plan;
    gqlx_op_stats *memo; /* per fragment slot */
    uint8_t *state;      /* 0 new, 1 in progress, 2 done */
    uint32_t nesting;    /* spreads being followed now */
    bool too_deep;       /* nesting reached GQLX_MAX_SPREAD_NESTING */
} stats_ctx;

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

static void stats_add(gqlx_op_stats *into, const gqlx_op_stats *s, uint64_t extra_depth)
{
    into->fields = sat_add(into->fields, s->fields);
    into->aliases = sat_add(into->aliases, s->aliases);
    uint64_t d = sat_add(s->depth, extra_depth);
    if (d > into->depth)
        into->depth = d;
}

static gqlx_op_stats selection_stats(stats_ctx *c, const gqlx_selection_set *set);

static gqlx_op_stats fragment_stats(stats_ctx *c, gqlx_slice name)
{
    gqlx_op_stats none = {0, 0, 0, false};
    const gqlx_fragment_def *f = gqlx_plan_fragment(c->plan, name);
    if (f == NULL)
        return none;
    uint32_t slot = frag_hash(name) & c->plan->frag_mask;
    while (c->plan->frag_slots[slot] != f)
        slot = (slot + 1) & c->plan->frag_mask;
    if (c->state[slot] == 2)
        return c->memo[slot];
    if (c->state[slot] == 1) /* a cycle: validation reported it */
        return none;
    if (c->nesting >= GQLX_MAX_SPREAD_NESTING) {
        c->too_deep = true;
        return none;
    }
    c->state[slot] = 1;
    c->nesting++;
    c->memo[slot] = selection_stats(c, f->selection_set);
    c->nesting--;
    c->state[slot] = 2;
    return c->memo[slot];
}

static gqlx_op_stats selection_stats(stats_ctx *c, const gqlx_selection_set *set)
{
    gqlx_op_stats s = {0, 0, 0, false};
    if (set == NULL)
        return s;
    for (uint32_t i = 0; i < set->selections.count; i++) {
        const gqlx_node *sel = set->selections.items[i];
        if (sel->kind == GQLX_KIND_FIELD) {
            const gqlx_field *f = GQLX_AS_CONST(gqlx_field, sel);
            gqlx_op_stats sub = selection_stats(c, f->selection_set);
            gqlx_op_stats one = {1, 1, f->alias.ptr != NULL ? 1u : 0u, false};
            stats_add(&s, &one, 0);
            s.fields = sat_add(s.fields, sub.fields);
            s.aliases = sat_add(s.aliases, sub.aliases);
            if (sat_add(sub.depth, 1) > s.depth)
                s.depth = sat_add(sub.depth, 1);
        } else if (sel->kind == GQLX_KIND_INLINE_FRAGMENT) {
            gqlx_op_stats sub =
                selection_stats(c, GQLX_AS_CONST(gqlx_inline_fragment, sel)->selection_set);
            stats_add(&s, &sub, 0);
        } else {
            gqlx_op_stats sub = fragment_stats(c, GQLX_AS_CONST(gqlx_fragment_spread, sel)->name);
            stats_add(&s, &sub, 0);
        }
    }
    return s;
}

static bool directives_use_variables(const gqlx_directive_list *dirs)
{
    for (uint32_t i = 0; i < dirs->count; i++) {
        const gqlx_directive *d = dirs->items[i];
        if (!gqlx_slice_eq_cstr(d->name, "skip") && !gqlx_slice_eq_cstr(d->name, "include"))
            continue;
        for (uint32_t j = 0; j < d->arguments.count; j++)
            if (d->arguments.items[j]->value->kind == GQLX_KIND_VARIABLE)
                return true;
    }
    return false;
}

static bool set_uses_variable_conditions(const gqlx_selection_set *set)
{
    if (set == NULL)
        return false;
    for (uint32_t i = 0; i < set->selections.count; i++) {
        const gqlx_node *sel = set->selections.items[i];
        if (sel->kind == GQLX_KIND_FIELD) {
            const gqlx_field *f = GQLX_AS_CONST(gqlx_field, sel);
            if (directives_use_variables(&f->directives) ||
                set_uses_variable_conditions(f->selection_set))
                return true;
        } else if (sel->kind == GQLX_KIND_INLINE_FRAGMENT) {
            const gqlx_inline_fragment *f = GQLX_AS_CONST(gqlx_inline_fragment, sel);
            if (directives_use_variables(&f->directives) ||
                set_uses_variable_conditions(f->selection_set))
                return true;
        } else if (directives_use_variables(
                       &GQLX_AS_CONST(gqlx_fragment_spread, sel)->directives)) {
            return true;
        }
    }
    return false;
}

static bool schema_only(const gqlx_operation_def *op)
{
    if (op->operation != GQLX_OP_QUERY || op->variable_definitions.count > 0 ||
        op->directives.count > 0)
        return false;
    const gqlx_node_list *sels = &op->selection_set->selections;
    for (uint32_t i = 0; i < sels->count; i++) {
        if (sels->items[i]->kind != GQLX_KIND_FIELD)
            return false;
        const gqlx_field *f = GQLX_AS_CONST(gqlx_field, sels->items[i]);
        if (f->directives.count > 0 ||
            (!gqlx_slice_eq_cstr(f->name, "__schema") && !gqlx_slice_eq_cstr(f->name, "__type") &&
             !gqlx_slice_eq_cstr(f->name, "__typename")))
            return false;
    }
    return true;
}

static bool analyse_operations(gqlx_plan *p)
{
    uint32_t n = 0;
    const gqlx_node_list *defs = &p->doc->definitions;
    for (uint32_t i = 0; i < defs->count; i++) {
        const gqlx_node *d = defs->items[i];
        if (d->kind == GQLX_KIND_OPERATION_DEFINITION)
            n++;
        else if (d->kind == GQLX_KIND_FRAGMENT_DEFINITION && !p->variable_conditions)
            p->variable_conditions =
                set_uses_variable_conditions(GQLX_AS_CONST(gqlx_fragment_def, d)->selection_set);
    }
    p->op_count = n;
    if (n == 0)
        return true;
    p->ops = GQLX_ARRAY(&p->arena, const gqlx_operation_def *, n);
    p->op_stats = GQLX_ARRAY(&p->arena, gqlx_op_stats, n);
    p->op_roots = gqlx_arena_zalloc(&p->arena, n * sizeof *p->op_roots, _Alignof(void *));
    p->op_cached = gqlx_arena_zalloc(&p->arena, n * sizeof *p->op_cached, _Alignof(void *));
    p->op_schema_only = gqlx_arena_zalloc(&p->arena, n, 1);
    uint32_t slots = p->frag_mask + 1;
    stats_ctx c = {p, NULL, NULL, 0, false};
    if (p->frag_mask != 0) {
        c.memo = GQLX_ARRAY(&p->arena, gqlx_op_stats, slots);
        c.state = gqlx_arena_zalloc(&p->arena, slots, 1);
    }
    if (p->ops == NULL || p->op_stats == NULL || p->op_roots == NULL || p->op_cached == NULL ||
        p->op_schema_only == NULL || (p->frag_mask != 0 && (c.memo == NULL || c.state == NULL)))
        return false;
    n = 0;
    for (uint32_t i = 0; i < defs->count; i++) {
        const gqlx_node *d = defs->items[i];
        if (d->kind != GQLX_KIND_OPERATION_DEFINITION)
            continue;
        const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, d);
        p->ops[n] = op;
        c.too_deep = false;
        p->op_stats[n] = selection_stats(&c, op->selection_set);
        p->op_stats[n].spreads_too_deep = c.too_deep;
        p->op_schema_only[n] = schema_only(op);
        if (!p->variable_conditions)
            p->variable_conditions = set_uses_variable_conditions(op->selection_set);
        n++;
    }
    return true;
}

/* ---- building a plan -------------------------------------------------------- */

static void render_errors(gqlx_plan *p, const gql_errors *errs)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_putc(&b, '[');
    for (size_t i = 0; i < errs->count; i++) {
        if (i > 0)
            gqlx_buf_putc(&b, ',');
        const gqlx_error *e = &errs->items[i];
        gqlx_error_json(&b, e->message, strlen(e->message), e->locations, e->location_count);
    }
    gqlx_buf_putc(&b, ']');
    if (!b.failed) {
        p->errors_json = gqlx_arena_memdup(&p->arena, b.data, b.len);
        p->errors_json_len = b.len;
        p->error_count = errs->count;
    }
    gqlx_buf_free(&b);
}

gqlx_plan *gqlx_plan_new(const gqlx_schema *schema, const char *text, size_t len,
                         const gqlx_plan_opts *opts)
{
    gqlx_plan *p = gqlx_malloc(sizeof *p);
    if (p == NULL)
        return NULL;
    memset(p, 0, sizeof *p);
    gqlx_arena_init(&p->arena, 0, opts->max_bytes);
    pthread_mutex_init(&p->lock, NULL);
    p->schema = schema;
    /* A text over the parser's size limit is refused before it is read:
     * it is not copied, and the plan keeps only the error. */
    bool too_large = len > GQLX_DEFAULT_MAX_DOCUMENT_BYTES;
    const char *copy = too_large ? text
                       : len     ? gqlx_arena_memdup(&p->arena, text, len)
                                 : gqlx_arena_strndup(&p->arena, "", 0);
    if (copy == NULL)
        goto nomem;
    p->source = gqlx_source_make("GraphQL request", copy, len);

    gql_errors *errs = gqlx_errors_new();
    if (errs == NULL)
        goto nomem;
    gqlx_parse_opts po;
    gqlx_parse_opts_init(&po);
    gqlx_syntax_error se;
    memset(&se, 0, sizeof se);
    p->doc = gqlx_parse(&p->arena, &p->source, &po, &se);
    if (p->doc == NULL) {
        if (se.out_of_memory) {
            gql_errors_free(errs);
            goto nomem;
        }
        gql_location loc = {se.loc.line, se.loc.column};
        if (!gqlx_errors_add(errs, se.message, &loc, 1)) {
            gql_errors_free(errs);
            goto nomem;
        }
        p->status = GQL_ESYNTAX;
        render_errors(p, errs);
        if (too_large)
            p->source = gqlx_source_make("GraphQL request", "", 0);
        gql_errors_free(errs);
        return gqlx_arena_failed(&p->arena) || p->errors_json == NULL ? (gqlx_plan_free(p), NULL)
                                                                      : p;
    }
    gqlx_validate_opts vo;
    gqlx_validate_opts_init(&vo);
    vo.max_errors = opts->max_validation_errors;
    vo.disable_introspection = opts->disable_introspection;
    gqlx_arena scratch;
    gqlx_arena_init(&scratch, 0, 0);
    size_t n = gqlx_validate(schema, p->doc, &p->source, &vo, &scratch, errs);
    bool failed = gqlx_arena_failed(&scratch);
    gqlx_arena_free(&scratch);
    if (failed) {
        gql_errors_free(errs);
        goto nomem;
    }
    if (n > 0) {
        p->status = GQL_EVALIDATION;
        render_errors(p, errs);
        gql_errors_free(errs);
        return p->errors_json == NULL ? (gqlx_plan_free(p), NULL) : p;
    }
    gql_errors_free(errs);
    if (!index_fragments(p) || !analyse_operations(p) || gqlx_arena_failed(&p->arena))
        goto nomem;
    p->status = GQL_OK;
    return p;
nomem:
    gqlx_plan_free(p);
    return NULL;
}

void gqlx_plan_free(void *plan)
{
    gqlx_plan *p = plan;
    if (p == NULL)
        return;
    pthread_mutex_destroy(&p->lock);
    gqlx_arena_free(&p->arena);
    gqlx_free(p);
}

/* ---- collecting fields ------------------------------------------------------ */

typedef struct tmp_field {
    gqlx_pfield f;
    size_t node_cap;
} tmp_field;

typedef struct collect_state {
    gqlx_collector *c;
    const gqlx_type *type; /* the runtime object type; NULL: match all */
    tmp_field *fields;
    size_t count, cap;
    gqlx_slice *visited;
    size_t visited_count, visited_cap;
    bool failed; /* a condition was invalid: see gqlx_collector.error */
} collect_state;

/* A @skip or @include whose argument is a variable: coerced as graphql-js's
 * getDirectiveValues does, so a null or missing value is the same error. */
static bool variable_condition(collect_state *st, const gqlx_directive *d, bool *out)
{
    gqlx_collector *c = st->c;
    const gqlx_directive_decl *decl =
        gqlx_schema_directive(c->plan->schema, d->name.ptr, d->name.len);
    if (decl == NULL)
        return false;
    gql_errors *errs = gqlx_errors_new();
    if (errs == NULL)
        return false;
    gqlx_json *args = NULL;
    gqlx_arg_owner owner = {NULL, decl};
    int rc = gqlx_coerce_arguments(c->arena, c->plan->schema, owner, &d->base, &d->arguments,
                                   c->variables, NULL, &args, errs, &c->plan->source);
    if (rc == GQL_OK) {
        gql_errors_free(errs);
        const gqlx_json *v = gqlx_json_get(args, "if", 2);
        if (v == NULL || v->kind != GQLX_JSON_BOOL)
            return false;
        *out = v->boolean;
        return true;
    }
    if (rc == GQL_EINVAL && c->error == NULL)
        c->error = errs;
    else
        gql_errors_free(errs);
    st->failed = true;
    return false;
}

static bool should_include(collect_state *st, const gqlx_directive_list *dirs)
{
    for (uint32_t i = 0; i < dirs->count; i++) {
        const gqlx_directive *d = dirs->items[i];
        bool skip = gqlx_slice_eq_cstr(d->name, "skip");
        if (!skip && !gqlx_slice_eq_cstr(d->name, "include"))
            continue;
        bool v = false, known = false;
        for (uint32_t k = 0; k < d->arguments.count; k++) {
            const gqlx_node *val = d->arguments.items[k]->value;
            if (!gqlx_slice_eq_cstr(d->arguments.items[k]->name, "if"))
                continue;
            if (val->kind == GQLX_KIND_BOOLEAN_VALUE) {
                v = GQLX_AS_CONST(gqlx_boolean_value, val)->value;
                known = true;
            } else if (val->kind == GQLX_KIND_VARIABLE) {
                known = variable_condition(st, d, &v);
            }
        }
        if (st->failed)
            return false;
        if (known && skip == v)
            return false;
    }
    return true;
}

static bool condition_matches(const collect_state *st, const gqlx_named_type *cond)
{
    if (cond == NULL || st->type == NULL)
        return true;
    const gqlx_type *t = gqlx_schema_type(st->c->plan->schema, cond->name.ptr, cond->name.len);
    if (t == NULL)
        return false;
    if (t == st->type)
        return true;
    return gqlx_type_is_abstract(t) &&
           gqlx_schema_is_possible_type(st->c->plan->schema, t, st->type);
}

static void add_field(collect_state *st, const gqlx_field *node)
{
    gqlx_arena *a = st->c->arena;
    gqlx_slice key = node->alias.ptr != NULL ? node->alias : node->name;
    tmp_field *tf = NULL;
    for (size_t i = 0; i < st->count; i++) {
        if (st->fields[i].f.key.len == key.len &&
            memcmp(st->fields[i].f.key.ptr, key.ptr, key.len) == 0) {
            tf = &st->fields[i];
            break;
        }
    }
    if (tf == NULL) {
        if (st->count == st->cap && !gqlx_arena_grow(a, (void **)&st->fields, &st->cap,
                                                     st->count + 1, sizeof(tmp_field), st->count))
            return;
        tf = &st->fields[st->count++];
        memset(tf, 0, sizeof *tf);
        tf->f.key = key;
        const gqlx_schema *s = st->c->plan->schema;
        if (node->name.len >= 6 && node->name.ptr[0] == '_' && node->name.ptr[1] == '_') {
            if (gqlx_slice_eq_cstr(node->name, "__typename"))
                tf->f.kind = GQLX_PFIELD_TYPENAME;
            else if (gqlx_slice_eq_cstr(node->name, "__schema") && st->type == s->query)
                tf->f.kind = GQLX_PFIELD_SCHEMA;
            else if (gqlx_slice_eq_cstr(node->name, "__type") && st->type == s->query)
                tf->f.kind = GQLX_PFIELD_TYPE;
        }
        if (tf->f.kind == GQLX_PFIELD_FIELD && st->type != NULL)
            tf->f.decl = gqlx_type_field(st->type, node->name.ptr, node->name.len);
    }
    if (tf->f.node_count == tf->node_cap &&
        !gqlx_arena_grow(a, (void **)&tf->f.nodes, &tf->node_cap, tf->f.node_count + 1,
                         sizeof(const gqlx_field *), tf->f.node_count))
        return;
    tf->f.nodes[tf->f.node_count++] = node;
}

static void collect_set(collect_state *st, const gqlx_selection_set *set)
{
    if (set == NULL)
        return;
    for (uint32_t i = 0; i < set->selections.count && !st->failed; i++) {
        const gqlx_node *sel = set->selections.items[i];
        switch (sel->kind) {
        case GQLX_KIND_FIELD: {
            const gqlx_field *f = GQLX_AS_CONST(gqlx_field, sel);
            if (should_include(st, &f->directives))
                add_field(st, f);
            break;
        }
        case GQLX_KIND_INLINE_FRAGMENT: {
            const gqlx_inline_fragment *f = GQLX_AS_CONST(gqlx_inline_fragment, sel);
            if (should_include(st, &f->directives) && condition_matches(st, f->type_condition))
                collect_set(st, f->selection_set);
            break;
        }
        default: {
            const gqlx_fragment_spread *s = GQLX_AS_CONST(gqlx_fragment_spread, sel);
            bool seen = false;
            for (size_t k = 0; k < st->visited_count && !seen; k++)
                seen = gqlx_slice_eq(st->visited[k], s->name);
            if (seen || !should_include(st, &s->directives))
                break;
            const gqlx_fragment_def *frag = gqlx_plan_fragment(st->c->plan, s->name);
            if (frag == NULL || !condition_matches(st, frag->type_condition))
                break;
            if (st->visited_count == st->visited_cap &&
                !gqlx_arena_grow(st->c->arena, (void **)&st->visited, &st->visited_cap,
                                 st->visited_count + 1, sizeof(gqlx_slice), st->visited_count))
                break;
            st->visited[st->visited_count++] = s->name;
            collect_set(st, frag->selection_set);
            break;
        }
        }
    }
}

static bool arguments_use_variables(const gqlx_argument_list *args)
{
    for (uint32_t i = 0; i < args->count; i++)
        if (gqlx_value_has_variable(args->items[i]->value))
            return true;
    return false;
}

/* The leaf class of a named type. */
static uint8_t leaf_class(const gqlx_type *t)
{
    static const uint8_t scalars[] = {
        [GQLX_SCALAR_CUSTOM] = GQLX_LEAF_NONE,     [GQLX_SCALAR_INT] = GQLX_LEAF_INT,
        [GQLX_SCALAR_FLOAT] = GQLX_LEAF_FLOAT,     [GQLX_SCALAR_STRING] = GQLX_LEAF_STRING,
        [GQLX_SCALAR_BOOLEAN] = GQLX_LEAF_BOOLEAN, [GQLX_SCALAR_ID] = GQLX_LEAF_ID,
    };
    if (t->kind == GQLX_TYPE_ENUM)
        return GQLX_LEAF_ENUM;
    if (t->kind != GQLX_TYPE_SCALAR || t->scalar >= sizeof scalars)
        return GQLX_LEAF_NONE;
    return scalars[t->scalar];
}

/* The leaf or composite class of a field's type (plan.h). */
static void classify(gqlx_pfield *f)
{
    const gqlx_type_ref *r = f->decl->type;
    f->non_null = r->wrap == GQLX_WRAP_NON_NULL;
    if (f->non_null)
        r = r->of;
    if (r->wrap == GQLX_WRAP_LIST) {
        r = r->of;
        f->item_non_null = r->wrap == GQLX_WRAP_NON_NULL;
        if (f->item_non_null)
            r = r->of;
        if (r->wrap == GQLX_WRAP_NAMED && r->named->kind == GQLX_TYPE_OBJECT) {
            f->composite = GQLX_COMPOSITE_LIST;
            f->object_type = r->named;
        }
        return;
    }
    if (r->named->kind == GQLX_TYPE_OBJECT) {
        f->composite = GQLX_COMPOSITE_OBJECT;
        f->object_type = r->named;
        return;
    }
    f->leaf = leaf_class(r->named);
}

/* Turns the collected fields into a field set; fields that the type does
 * not define are left out, as graphql-js's executeField leaves them. */
static gqlx_fieldset *finish(collect_state *st)
{
    if (st->failed)
        return NULL;
    gqlx_arena *a = st->c->arena;
    gqlx_fieldset *fs = GQLX_NEW(a, gqlx_fieldset);
    if (fs == NULL)
        return NULL;
    fs->type = st->type;
    fs->fields = st->count ? GQLX_ARRAY(a, gqlx_pfield, st->count) : NULL;
    if (st->count && fs->fields == NULL)
        return NULL;
    gqlx_buf key;
    gqlx_buf_init(&key, 0);
    for (size_t i = 0; i < st->count; i++) {
        gqlx_pfield *f = &st->fields[i].f;
        if (f->kind == GQLX_PFIELD_FIELD && f->decl == NULL)
            continue;
        gqlx_buf_clear(&key);
        gqlx_buf_putc(&key, ',');
        gqlx_json_write_string(&key, f->key.ptr, f->key.len);
        gqlx_buf_putc(&key, ':');
        if (key.failed)
            break;
        f->key_json = gqlx_arena_memdup(a, key.data, key.len);
        f->key_json_len = (uint32_t)key.len;
        atomic_init(&f->children, NULL);
        atomic_init(&f->args, NULL);
        atomic_init(&f->member_hint, 0);
        atomic_init(&f->locations, NULL);
        f->const_args = f->decl != NULL && f->decl->arg_count > 0 &&
                        !arguments_use_variables(&f->nodes[0]->arguments);
        if (f->kind == GQLX_PFIELD_FIELD) {
            classify(f);
            bool bound = f->decl->resolve.fn != NULL || st->type->resolve.fn != NULL;
            f->json_member = f->decl->arg_count == 0 && !bound && !st->type->builtin;
            if (!bound && st->type->builtin)
                f->intro_leaf = gqlx_introspection_leaf_writer(f->decl);
        }
        fs->fields[fs->count++] = *f;
    }
    bool failed = key.failed;
    gqlx_buf_free(&key);
    return failed || gqlx_arena_failed(a) ? NULL : fs;
}

static void lock(gqlx_collector *c)
{
    if (c->shared)
        pthread_mutex_lock(&c->plan->lock);
}

static void unlock(gqlx_collector *c)
{
    if (c->shared)
        pthread_mutex_unlock(&c->plan->lock);
}

const gqlx_fieldset *gqlx_collect_root(gqlx_collector *c, uint32_t op, const gqlx_type *root)
{
    _Atomic(gqlx_fieldset *) *slot = c->plan->variable_conditions ? NULL : &c->plan->op_roots[op];
    gqlx_fieldset *fs = slot ? atomic_load_explicit(slot, memory_order_acquire) : NULL;
    if (fs != NULL)
        return fs;
    lock(c);
    fs = slot ? atomic_load_explicit(slot, memory_order_acquire) : NULL;
    if (fs == NULL) {
        collect_state st = {c, root, NULL, 0, 0, NULL, 0, 0, false};
        collect_set(&st, c->plan->ops[op]->selection_set);
        fs = finish(&st);
        if (fs != NULL && slot != NULL)
            atomic_store_explicit(slot, fs, memory_order_release);
    }
    unlock(c);
    return fs;
}

const gqlx_fieldset *gqlx_collect_children(gqlx_collector *c, const gqlx_pfield *pf,
                                           const gqlx_type *t)
{
    /* children is the one mutable part of a published pfield. */
    gqlx_pfield *mpf = (gqlx_pfield *)(uintptr_t)pf;
    for (gqlx_fieldset *fs = atomic_load_explicit(&mpf->children, memory_order_acquire); fs != NULL;
         fs = fs->next)
        if (fs->type == t)
            return fs;
    lock(c);
    gqlx_fieldset *head = atomic_load_explicit(&mpf->children, memory_order_acquire);
    gqlx_fieldset *fs = head;
    while (fs != NULL && fs->type != t)
        fs = fs->next;
    if (fs == NULL) {
        collect_state st = {c, t, NULL, 0, 0, NULL, 0, 0, false};
        for (uint32_t i = 0; i < pf->node_count; i++)
            collect_set(&st, pf->nodes[i]->selection_set);
        fs = finish(&st);
        if (fs != NULL) {
            fs->next = head;
            atomic_store_explicit(&mpf->children, fs, memory_order_release);
        }
    }
    unlock(c);
    return fs;
}

size_t gqlx_collect_names(gqlx_collector *c, const gqlx_pfield *pf, gqlx_arena *a,
                          const char ***names)
{
    gqlx_collector local = *c;
    local.arena = a;
    local.shared = false;
    collect_state st = {&local, NULL, NULL, 0, 0, NULL, 0, 0, false};
    for (uint32_t i = 0; i < pf->node_count; i++)
        collect_set(&st, pf->nodes[i]->selection_set);
    gql_errors_free(local.error);
    *names = NULL;
    if (st.count == 0)
        return 0;
    /* Distinct field names (not response keys), in order. */
    size_t total = 0;
    for (size_t i = 0; i < st.count; i++)
        total += st.fields[i].f.node_count;
    const char **out = GQLX_ARRAY(a, const char *, total);
    if (out == NULL)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < st.count; i++) {
        for (uint32_t k = 0; k < st.fields[i].f.node_count; k++) {
            gqlx_slice nm = st.fields[i].f.nodes[k]->name;
            bool dup = false;
            for (size_t j = 0; j < n && !dup; j++)
                dup = strlen(out[j]) == nm.len && memcmp(out[j], nm.ptr, nm.len) == 0;
            if (!dup)
                out[n++] = gqlx_arena_strndup(a, nm.ptr, nm.len);
        }
    }
    *names = out;
    return n;
}
