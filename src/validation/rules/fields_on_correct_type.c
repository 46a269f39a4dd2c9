/* src/validation/rules/fields_on_correct_type.c
 *
 * Spec rule "Field Selections" (5.3.1): a selected field exists on its
 * parent type. graphql-js FieldsOnCorrectTypeRule: when it does not, the
 * message suggests first the possible types (of an abstract parent) that
 * do have the field, most used first, then close field names. */
#include "core/suggest.h"
#include "validation/rule.h"

typedef struct candidate {
    const gqlx_type *type;
    uint32_t usage;
} candidate;

/* graphql-js's comparator: more uses first, an interface before the types
 * implementing it, then by name. It is not transitive (an interface sorts
 * before its implementations but by name against the others), so the
 * result depends on the sorting algorithm; sort_candidates() therefore
 * repeats what V8's Array.prototype.sort does. */
static int cmp_candidates(const gqlx_schema *sort_schema, const candidate *a, const candidate *b)
{
    if (a->usage != b->usage)
        return a->usage > b->usage ? -1 : 1;
    if (a->type->kind == GQLX_TYPE_INTERFACE &&
        gqlx_schema_is_possible_type(sort_schema, a->type, b->type))
        return -1;
    if (b->type->kind == GQLX_TYPE_INTERFACE &&
        gqlx_schema_is_possible_type(sort_schema, b->type, a->type))
        return 1;
    return gqlx_natural_compare(gqlx_name_slice(a->type->name), gqlx_name_slice(b->type->name));
}

/* V8's TimSort for arrays shorter than 64 elements (one run): the leading
 * ascending or strictly descending run (reversed), then binary insertion
 * of the rest. Longer arrays use the same two steps, which equals V8 only
 * when the comparator is consistent. */
static void sort_candidates(const gqlx_schema *s, candidate *a, size_t n)
{
    if (n < 2)
        return;
    size_t run = 2;
    bool descending = cmp_candidates(s, &a[1], &a[0]) < 0;
    for (size_t i = 2; i < n; i++) {
        int order = cmp_candidates(s, &a[i], &a[i - 1]);
        if (descending ? order >= 0 : order < 0)
            break;
        run++;
    }
    if (descending) {
        for (size_t i = 0, j = run - 1; i < j; i++, j--) {
            candidate t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
    for (size_t start = run; start < n; start++) {
        candidate pivot = a[start];
        size_t left = 0, right = start;
        while (left < right) {
            size_t mid = left + ((right - left) >> 1);
            if (cmp_candidates(s, &pivot, &a[mid]) < 0)
                right = mid;
            else
                left = mid + 1;
        }
        for (size_t p = start; p > left; p--)
            a[p] = a[p - 1];
        a[left] = pivot;
    }
}

static size_t suggested_types(gqlx_vctx *ctx, const gqlx_type *type, gqlx_slice field,
                              gqlx_slice **out)
{
    *out = NULL;
    if (!gqlx_type_is_abstract(type))
        return 0;
    const gqlx_schema *s = gqlx_vctx_schema(ctx);
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    const gqlx_type *const *possible =
        type->kind == GQLX_TYPE_UNION ? type->members : type->possible;
    uint32_t np = type->kind == GQLX_TYPE_UNION ? type->member_count : type->possible_count;
    size_t cap = 0;
    for (uint32_t i = 0; i < np; i++)
        cap += 1 + possible[i]->interface_count;
    if (cap == 0)
        return 0;
    candidate *c = GQLX_ARRAY(a, candidate, cap);
    if (c == NULL)
        return 0;
    size_t n = 0;
    for (uint32_t i = 0; i < np; i++) {
        const gqlx_type *p = possible[i];
        if (p->kind != GQLX_TYPE_OBJECT || gqlx_type_field(p, field.ptr, field.len) == NULL)
            continue;
        size_t k;
        for (k = 0; k < n && c[k].type != p; k++)
            ;
        if (k == n)
            c[n++] = (candidate){p, 0};
        c[k].usage = 1;
        for (uint32_t j = 0; j < p->interface_count; j++) {
            const gqlx_type *itf = p->interfaces[j];
            if (gqlx_type_field(itf, field.ptr, field.len) == NULL)
                continue;
            for (k = 0; k < n && c[k].type != itf; k++)
                ;
            if (k == n)
                c[n++] = (candidate){itf, 0};
            c[k].usage++;
        }
    }
    if (n == 0)
        return 0;
    sort_candidates(s, c, n);
    gqlx_slice *names = GQLX_ARRAY(a, gqlx_slice, n);
    if (names == NULL)
        return 0;
    for (size_t i = 0; i < n; i++)
        names[i] = gqlx_name_slice(c[i].type->name);
    *out = names;
    return n;
}

static int enter_field(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_type *parent = gqlx_vctx_parent_type(ctx);
    if (parent == NULL || gqlx_vctx_field_def(ctx) != NULL)
        return GQLX_VISIT_CONTINUE;
    const gqlx_field *f = GQLX_AS_CONST(gqlx_field, node);
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    gqlx_slice *types;
    size_t nt = suggested_types(ctx, parent, f->name, &types);
    gqlx_buf *m = gqlx_vctx_msg(ctx);
    gqlx_buf_printf(m, "Cannot query field \"%.*s\" on type \"%s\".", (int)f->name.len,
                    f->name.ptr, parent->name->str);
    if (nt > 0) {
        gqlx_did_you_mean(m, "to use an inline fragment on", types, nt);
    } else if (parent->kind == GQLX_TYPE_OBJECT || parent->kind == GQLX_TYPE_INTERFACE) {
        gqlx_slice *names = GQLX_ARRAY(a, gqlx_slice, parent->field_count ? parent->field_count : 1);
        if (names != NULL) {
            for (uint32_t i = 0; i < parent->field_count; i++)
                names[i] = gqlx_name_slice(parent->fields[i].name);
            gqlx_slice *sugg;
            size_t ns = gqlx_suggestion_list(a, f->name, names, parent->field_count, &sugg);
            gqlx_did_you_mean(m, NULL, sugg, ns);
        }
    }
    gqlx_vctx_report1(ctx, node->start);
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_fields_on_correct_type = {
    .name = "FieldsOnCorrectType",
    .enter = {[GQLX_KIND_FIELD] = enter_field},
};
