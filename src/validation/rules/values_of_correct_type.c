/* src/validation/rules/values_of_correct_type.c
 *
 * Spec rule "Values of Correct Type" (5.6.1): every literal fits the input
 * type of its position; input objects get their required fields, no
 * unknown fields, and @oneOf objects exactly one non-null field. graphql-js
 * 17 ValuesOfCorrectTypeRule, which runs validateInputLiteral on the
 * outermost literal of each position (without variable values, so
 * variables are accepted anywhere) and quotes values with print(). */
#include <stdint.h>
#include <string.h>

#include "core/suggest.h"
#include "validation/rule.h"

static void begin_type_msg(gqlx_vctx *ctx, gqlx_buf **m, const char *prefix,
                           const gqlx_type_ref *t)
{
    *m = gqlx_vctx_msg(ctx);
    gqlx_buf_append_cstr(*m, prefix);
    gqlx_type_ref_print(*m, t);
}

static void found(gqlx_vctx *ctx, gqlx_buf *m, const char *sep, const gqlx_node *v)
{
    gqlx_buf_append_cstr(m, sep);
    gqlx_vctx_print(ctx, m, v);
    gqlx_buf_append_cstr(m, ".");
}

/* graphql-js's replaceVariables without variable values, which the leaf
 * types' messages quote: a variable in a list becomes null, an object
 * field holding a variable disappears. */
static const gqlx_node *replace_variables(gqlx_arena *a, const gqlx_node *v)
{
    if (!gqlx_value_has_variable(v))
        return v;
    if (v->kind == GQLX_KIND_LIST_VALUE) {
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, v);
        gqlx_list_value *copy = GQLX_NEW(a, gqlx_list_value);
        gqlx_node **items = GQLX_ARRAY(a, gqlx_node *, l->values.count);
        if (copy == NULL || items == NULL)
            return v;
        *copy = *l;
        for (uint32_t i = 0; i < l->values.count; i++) {
            const gqlx_node *item = l->values.items[i];
            if (item->kind == GQLX_KIND_VARIABLE) {
                gqlx_node *null = GQLX_NEW(a, gqlx_node);
                if (null == NULL)
                    return v;
                *null = *item;
                null->kind = GQLX_KIND_NULL_VALUE;
                items[i] = null;
            } else {
                items[i] = (gqlx_node *)(uintptr_t)replace_variables(a, item);
            }
        }
        copy->values.items = items;
        return &copy->base;
    }
    if (v->kind == GQLX_KIND_OBJECT_VALUE) {
        const gqlx_object_value *o = GQLX_AS_CONST(gqlx_object_value, v);
        gqlx_object_value *copy = GQLX_NEW(a, gqlx_object_value);
        gqlx_object_field **fields = GQLX_ARRAY(a, gqlx_object_field *, o->fields.count);
        if (copy == NULL || (o->fields.count && fields == NULL))
            return v;
        *copy = *o;
        uint32_t n = 0;
        for (uint32_t i = 0; i < o->fields.count; i++) {
            const gqlx_object_field *f = o->fields.items[i];
            if (f->value->kind == GQLX_KIND_VARIABLE)
                continue;
            gqlx_object_field *fc = GQLX_NEW(a, gqlx_object_field);
            if (fc == NULL)
                return v;
            *fc = *f;
            fc->value = (gqlx_node *)(uintptr_t)replace_variables(a, f->value);
            fields[n++] = fc;
        }
        copy->fields.items = fields;
        copy->fields.count = n;
        return &copy->base;
    }
    return v;
}

/* graphql-js Int.coerceInputLiteral's range check on the literal text. */
static bool int_in_range(gqlx_slice text)
{
    size_t i = 0;
    bool neg = text.len > 0 && text.ptr[0] == '-';
    i += neg;
    while (i < text.len && text.ptr[i] == '0')
        i++;
    if (text.len - i > 10)
        return false;
    long long v = 0;
    for (; i < text.len; i++)
        v = v * 10 + (text.ptr[i] - '0');
    return neg ? v <= 2147483648LL : v <= 2147483647LL;
}

static void scalar(gqlx_vctx *ctx, const gqlx_node *v, const gqlx_type *t)
{
    const char *msg = NULL;
    switch (t->scalar) {
    case GQLX_SCALAR_INT:
        if (v->kind != GQLX_KIND_INT_VALUE) {
            msg = "Int cannot represent non-integer value: ";
        } else {
            gqlx_slice text = GQLX_AS_CONST(gqlx_scalar_value, v)->text;
            if (!int_in_range(text)) {
                gqlx_buf_printf(gqlx_vctx_msg(ctx),
                                "Int cannot represent non 32-bit signed integer value: %.*s",
                                (int)text.len, text.ptr);
                gqlx_vctx_report1(ctx, v->start);
            }
            return;
        }
        break;
    case GQLX_SCALAR_FLOAT:
        if (v->kind != GQLX_KIND_INT_VALUE && v->kind != GQLX_KIND_FLOAT_VALUE)
            msg = "Float cannot represent non numeric value: ";
        break;
    case GQLX_SCALAR_STRING:
        if (v->kind != GQLX_KIND_STRING_VALUE)
            msg = "String cannot represent a non string value: ";
        break;
    case GQLX_SCALAR_BOOLEAN:
        if (v->kind != GQLX_KIND_BOOLEAN_VALUE)
            msg = "Boolean cannot represent a non boolean value: ";
        break;
    case GQLX_SCALAR_ID:
        if (v->kind != GQLX_KIND_STRING_VALUE && v->kind != GQLX_KIND_INT_VALUE)
            msg = "ID cannot represent a non-string and non-integer value: ";
        break;
    default:
        /* Custom scalars built from SDL accept any literal (graphql-js's
         * default parseLiteral is valueFromASTUntyped). */
        break;
    }
    if (msg == NULL)
        return;
    gqlx_buf *m = gqlx_vctx_msg(ctx);
    gqlx_buf_append_cstr(m, msg);
    gqlx_vctx_print(ctx, m, replace_variables(gqlx_vctx_arena(ctx), v));
    gqlx_vctx_report1(ctx, v->start);
}

static void enum_value(gqlx_vctx *ctx, const gqlx_node *v, const gqlx_type *t)
{
    if (v->kind == GQLX_KIND_ENUM_VALUE &&
        gqlx_type_enum_value(t, GQLX_AS_CONST(gqlx_scalar_value, v)->text.ptr,
                             GQLX_AS_CONST(gqlx_scalar_value, v)->text.len) != NULL)
        return;
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    gqlx_buf printed;
    gqlx_buf_init(&printed, 0);
    gqlx_vctx_print(ctx, &printed, replace_variables(a, v));
    gqlx_slice str = gqlx_slice_make(printed.data ? printed.data : "", printed.len);
    gqlx_buf *m = gqlx_vctx_msg(ctx);
    if (v->kind != GQLX_KIND_ENUM_VALUE)
        gqlx_buf_printf(m, "Enum \"%s\" cannot represent non-enum value: %.*s.", t->name->str,
                        (int)str.len, str.ptr);
    else
        gqlx_buf_printf(m, "Value \"%.*s\" does not exist in \"%s\" enum.", (int)str.len, str.ptr,
                        t->name->str);
    gqlx_slice *names = GQLX_ARRAY(a, gqlx_slice, t->value_count ? t->value_count : 1);
    if (names != NULL) {
        for (uint32_t i = 0; i < t->value_count; i++)
            names[i] = gqlx_name_slice(t->values[i].name);
        gqlx_slice *sugg;
        size_t ns = gqlx_suggestion_list(a, str, names, t->value_count, &sugg);
        gqlx_did_you_mean(m, "the enum value", sugg, ns);
    }
    gqlx_buf_free(&printed);
    gqlx_vctx_report1(ctx, v->start);
}

static void validate(gqlx_vctx *ctx, const gqlx_node *v, const gqlx_type_ref *t);

static void input_object(gqlx_vctx *ctx, const gqlx_node *v, const gqlx_type *t)
{
    gqlx_buf *m;
    if (v->kind != GQLX_KIND_OBJECT_VALUE) {
        begin_type_msg(ctx, &m, "Expected value of type \"", &t->ref);
        found(ctx, m, "\" to be an object, found: ", v);
        gqlx_vctx_report1(ctx, v->start);
        return;
    }
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    const gqlx_object_value *o = GQLX_AS_CONST(gqlx_object_value, v);
    gqlx_vmap by_name; /* the last field node of each name, as keyMap */
    gqlx_vmap_init(&by_name, a);
    for (uint32_t i = 0; i < o->fields.count; i++)
        gqlx_vmap_set(&by_name, o->fields.items[i]->name, o->fields.items[i]);
    for (uint32_t i = 0; i < t->input_field_count; i++) {
        const gqlx_input_value *fd = &t->input_fields[i];
        const gqlx_object_field *fn = gqlx_vmap_get(&by_name, gqlx_name_slice(fd->name));
        if (fn == NULL) {
            if (fd->type->wrap == GQLX_WRAP_NON_NULL && fd->default_value == NULL) {
                begin_type_msg(ctx, &m, "Expected value of type \"", &t->ref);
                gqlx_buf_printf(m, "\" to include required field \"%s\"", fd->name->str);
                found(ctx, m, ", found: ", v);
                gqlx_vctx_report1(ctx, v->start);
            }
        } else {
            validate(ctx, fn->value, fd->type);
        }
    }
    uint32_t known = 0;
    const gqlx_object_field *first_known = NULL;
    gqlx_slice *names = NULL; /* the type's field names, once per object */
    for (uint32_t i = 0; i < o->fields.count; i++) {
        const gqlx_object_field *fn = o->fields.items[i];
        if (gqlx_type_input_field(t, fn->name.ptr, fn->name.len) != NULL) {
            if (known++ == 0)
                first_known = fn;
            continue;
        }
        if (!gqlx_vctx_can_report(ctx)) {
            /* The message quotes the whole object: with many unknown
             * fields, building each would be quadratic. */
            gqlx_vctx_report1(ctx, fn->base.start);
            continue;
        }
        if (names == NULL) {
            names = GQLX_ARRAY(a, gqlx_slice, t->input_field_count + 1);
            for (uint32_t j = 0; names != NULL && j < t->input_field_count; j++)
                names[j] = gqlx_name_slice(t->input_fields[j].name);
        }
        gqlx_slice *sugg = NULL;
        size_t ns = 0;
        if (names != NULL)
            ns = gqlx_suggestion_list(a, fn->name, names, t->input_field_count, &sugg);
        begin_type_msg(ctx, &m, "Expected value of type \"", &t->ref);
        gqlx_buf_printf(m, "\" not to include unknown field \"%.*s\"", (int)fn->name.len,
                        fn->name.ptr);
        if (ns > 0) {
            gqlx_buf_append_cstr(m, ".");
            gqlx_did_you_mean(m, NULL, sugg, ns);
            found(ctx, m, " Found: ", v);
        } else {
            found(ctx, m, ", found: ", v);
        }
        gqlx_vctx_report1(ctx, fn->base.start);
    }
    if (t->one_of &&
        (known != 1 || first_known->value->kind == GQLX_KIND_NULL_VALUE)) {
        gqlx_buf_printf(gqlx_vctx_msg(ctx),
                        "Within OneOf Input Object type \"%s\", exactly one field must be "
                        "specified, and the value for that field must be non-null.",
                        t->name->str);
        gqlx_vctx_report1(ctx, v->start);
    }
}

/* graphql-js validateInputLiteral in its static form (no variable values). */
static void validate(gqlx_vctx *ctx, const gqlx_node *v, const gqlx_type_ref *t)
{
    if (v == NULL || t == NULL || v->kind == GQLX_KIND_VARIABLE)
        return;
    if (t->wrap == GQLX_WRAP_NON_NULL) {
        if (v->kind == GQLX_KIND_NULL_VALUE) {
            gqlx_buf *m;
            begin_type_msg(ctx, &m, "Expected value of non-null type \"", t);
            gqlx_buf_append_cstr(m, "\" not to be null.");
            gqlx_vctx_report1(ctx, v->start);
            return;
        }
        validate(ctx, v, t->of);
        return;
    }
    if (v->kind == GQLX_KIND_NULL_VALUE)
        return;
    if (t->wrap == GQLX_WRAP_LIST) {
        if (v->kind != GQLX_KIND_LIST_VALUE) {
            validate(ctx, v, t->of);
        } else {
            const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, v);
            for (uint32_t i = 0; i < l->values.count; i++)
                validate(ctx, l->values.items[i], t->of);
        }
        return;
    }
    switch (t->named->kind) {
    case GQLX_TYPE_INPUT_OBJECT:
        input_object(ctx, v, t->named);
        break;
    case GQLX_TYPE_ENUM:
        enum_value(ctx, v, t->named);
        break;
    case GQLX_TYPE_SCALAR:
        scalar(ctx, v, t->named);
        break;
    default:
        break; /* not an input type: other rules report the position */
    }
}

static int enter_value(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    validate(ctx, node, gqlx_vctx_input_type(ctx));
    return GQLX_VISIT_SKIP;
}

/* A list literal's own type is the parent input type: entering it already
 * moved the input type to the item type. */
static int enter_list(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    validate(ctx, node, gqlx_vctx_parent_input_type(ctx));
    return GQLX_VISIT_SKIP;
}

#define VALUE(k) [GQLX_KIND_##k] = enter_value
const gqlx_rule gqlx_rule_values_of_correct_type = {
    .name = "ValuesOfCorrectType",
    .enter =
        {
            VALUE(NULL_VALUE), VALUE(OBJECT_VALUE), VALUE(ENUM_VALUE), VALUE(INT_VALUE),
            VALUE(FLOAT_VALUE), VALUE(STRING_VALUE), VALUE(BOOLEAN_VALUE),
            [GQLX_KIND_LIST_VALUE] = enter_list,
        },
};
