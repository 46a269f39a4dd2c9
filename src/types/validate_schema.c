/* src/types/validate_schema.c — stage 2 of schema checking: the built
 * schema, as graphql-js 17's validateSchema() checks it.
 *
 * The checks run in graphql-js's order (root types, then directives, then
 * every type in type-map order, then input objects that cannot have a
 * finite value), so errors come out in the reference's order, with the same
 * messages and the same AST nodes as locations. Built-in types and
 * directives have no AST nodes; they are valid by construction and never
 * produce errors, so every location below points into the user's SDL.
 *
 * Work is linear in the schema size except where graphql-js itself does
 * more (interface fields against implementations). The two searches for
 * cycles keep visited sets, so no path is explored twice; their recursion
 * depth is capped at MAX_DEPTH (a chain of that many input objects in one
 * schema is not a real schema; beyond it some cycle errors are not found,
 * but nothing crashes). */
#include "types/schema_validate.h"

#include <stdint.h>
#include <string.h>

#include "core/suggest.h"
#include "language/printer.h"
#include "types/validate_report.h"

/* Deepest recursion of the cycle searches and of default value checks
 * (literals are at most the parser's depth; this bounds chains of input
 * objects). Protects the C stack against adversarial schemas. */
#define MAX_DEPTH 4096u

#define NO_OFFSET UINT32_MAX
#define SL(s)     (int)(s).len, (s).ptr
#define NAME(n)   (int)(n)->len, (n)->str

typedef struct vs_ctx {
    gqlx_vreport rep;
    gqlx_arena *a;
    const gqlx_schema *s;
    bool oom;
} vs_ctx;

static uint32_t off(const gqlx_node *n)
{
    return n ? n->start : NO_OFFSET;
}

static gqlx_buf *msg(vs_ctx *c)
{
    return gqlx_vreport_begin(&c->rep);
}

static void emit(vs_ctx *c, const uint32_t *offs, size_t n)
{
    gqlx_vreport_emit(&c->rep, offs, n);
}

static void emit1(vs_ctx *c, uint32_t o)
{
    gqlx_vreport_emit(&c->rep, &o, 1);
}

/* A growable list of offsets in the scratch arena. */
typedef struct offs {
    uint32_t *v;
    size_t n, cap;
} offs;

static void offs_add(vs_ctx *c, offs *l, uint32_t o)
{
    if (o == NO_OFFSET)
        return;
    if (!gqlx_arena_grow(c->a, (void **)&l->v, &l->cap, l->n + 1, sizeof *l->v, l->n)) {
        c->oom = true;
        return;
    }
    l->v[l->n++] = o;
}

/* [type.astNode, ...type.extensionASTNodes] */
static void add_type_nodes(vs_ctx *c, offs *l, const gqlx_type *t)
{
    offs_add(c, l, off(t->ast));
    for (uint32_t i = 0; i < t->extension_count; i++)
        offs_add(c, l, off(t->extensions[i]));
}

static bool is_required(const gqlx_input_value *iv)
{
    return gqlx_type_ref_is_non_null(iv->type) && iv->default_value == NULL;
}

/* The @deprecated directive node among a definition's directives. */
static uint32_t deprecated_node(const gqlx_directive_list *dirs)
{
    for (uint32_t i = 0; i < dirs->count; i++)
        if (gqlx_slice_eq_cstr(dirs->items[i]->name, "deprecated"))
            return dirs->items[i]->base.start;
    return NO_OFFSET;
}

/* graphql-js prints an argument as "Type.field(arg:)" or "@dir(arg:)" and
 * an input field as "Type.field"; owner holds the part before "(". */
typedef struct input_owner {
    const char *prefix; /* "" or "@" */
    const gqlx_name *type_or_directive;
    const gqlx_name *field; /* NULL for directive args and input fields */
    bool is_arg;
} input_owner;

static void print_input_value(gqlx_buf *b, const input_owner *o, const gqlx_input_value *iv)
{
    gqlx_buf_printf(b, "%s%.*s", o->prefix, NAME(o->type_or_directive));
    if (o->field != NULL)
        gqlx_buf_printf(b, ".%.*s", NAME(o->field));
    if (o->is_arg)
        gqlx_buf_printf(b, "(%.*s:)", NAME(iv->name));
    else
        gqlx_buf_printf(b, ".%.*s", NAME(iv->name));
}

/* ---- names ----------------------------------------------------------- */

static void validate_name(vs_ctx *c, const gqlx_name *name, uint32_t node)
{
    if (name->len >= 2 && name->str[0] == '_' && name->str[1] == '_') {
        gqlx_buf_printf(msg(c),
                        "Name \"%.*s\" must not begin with \"__\", which is reserved by GraphQL "
                        "introspection.",
                        NAME(name));
        emit1(c, node);
    }
}

/* ---- default values (graphql-js validateInputLiteral, static) -------- */

/* A path of input field names and list indices, for " at .a[0].b". */
typedef struct vpath {
    const struct vpath *prev;
    const gqlx_name *key; /* NULL for an index */
    gqlx_slice key_slice; /* used when key is NULL and is_name */
    uint32_t index;
    bool is_name;
} vpath;

typedef struct default_ctx {
    const input_owner *owner;
    const gqlx_input_value *iv;
} default_ctx;

static void print_path(gqlx_buf *b, const vpath *p)
{
    if (p == NULL)
        return;
    print_path(b, p->prev);
    if (p->is_name)
        gqlx_buf_printf(b, ".%.*s", SL(p->key_slice));
    else
        gqlx_buf_printf(b, "[%u]", p->index);
}

/* Starts the message "<value> has invalid default value[ at path]: ". */
static gqlx_buf *default_msg(vs_ctx *c, const default_ctx *d, const vpath *path)
{
    gqlx_buf *b = msg(c);
    print_input_value(b, d->owner, d->iv);
    gqlx_buf_append_cstr(b, " has invalid default value");
    if (path != NULL) {
        gqlx_buf_append_cstr(b, " at ");
        print_path(b, path);
    }
    gqlx_buf_append_cstr(b, ": ");
    return b;
}

static void print_value(vs_ctx *c, gqlx_buf *b, const gqlx_node *v)
{
    gqlx_print(b, v, c->a);
}

/* Leaf literals: the messages of graphql-js's scalars and enums. Returns
 * after reporting at most one error. */
static void check_leaf(vs_ctx *c, const default_ctx *d, const gqlx_node *v, const gqlx_type *t,
                       const vpath *path)
{
    gqlx_kind k = (gqlx_kind)v->kind;
    if (t->kind == GQLX_TYPE_ENUM) {
        bool bad_kind = k != GQLX_KIND_ENUM_VALUE;
        if (!bad_kind) {
            gqlx_slice name = GQLX_AS_CONST(gqlx_scalar_value, v)->text;
            if (gqlx_type_enum_value(t, name.ptr, name.len) != NULL)
                return;
        }
        gqlx_buf printed;
        gqlx_buf_init(&printed, 0);
        print_value(c, &printed, v);
        gqlx_slice ps = gqlx_slice_make(printed.data ? printed.data : "", printed.len);
        gqlx_buf *b = default_msg(c, d, path);
        if (bad_kind)
            gqlx_buf_printf(b, "Enum \"%.*s\" cannot represent non-enum value: %.*s.",
                            NAME(t->name), SL(ps));
        else
            gqlx_buf_printf(b, "Value \"%.*s\" does not exist in \"%.*s\" enum.", SL(ps),
                            NAME(t->name));
        gqlx_slice *names = GQLX_ARRAY(c->a, gqlx_slice, t->value_count + 1);
        if (names != NULL) {
            for (uint32_t i = 0; i < t->value_count; i++)
                names[i] = gqlx_name_slice(t->values[i].name);
            gqlx_slice *sugg;
            size_t n = gqlx_suggestion_list(c->a, ps, names, t->value_count, &sugg);
            gqlx_did_you_mean(b, "the enum value", sugg, n);
        } else {
            c->oom = true;
        }
        gqlx_buf_free(&printed);
        emit1(c, v->start);
        return;
    }
    const char *what = NULL;
    switch ((gqlx_scalar_id)t->scalar) {
    case GQLX_SCALAR_INT:
        if (k != GQLX_KIND_INT_VALUE) {
            what = "Int cannot represent non-integer value: ";
        } else {
            /* graphql-js: parseInt(text) outside [-2^31, 2^31 - 1]. The
             * lexer forbids leading zeros, so more than 10 digits is out. */
            gqlx_slice text = GQLX_AS_CONST(gqlx_scalar_value, v)->text;
            size_t i = text.len > 0 && text.ptr[0] == '-' ? 1 : 0;
            bool neg = i == 1;
            bool out = text.len - i > 10;
            long long val = 0;
            for (size_t j = i; j < text.len && !out; j++)
                val = val * 10 + (text.ptr[j] - '0');
            if (!out)
                out = neg ? -val < -2147483648LL : val > 2147483647LL;
            if (out) {
                gqlx_buf *b = default_msg(c, d, path);
                gqlx_buf_printf(b, "Int cannot represent non 32-bit signed integer value: %.*s",
                                SL(text));
                emit1(c, v->start);
            }
            return;
        }
        break;
    case GQLX_SCALAR_FLOAT:
        if (k != GQLX_KIND_FLOAT_VALUE && k != GQLX_KIND_INT_VALUE)
            what = "Float cannot represent non numeric value: ";
        break;
    case GQLX_SCALAR_STRING:
        if (k != GQLX_KIND_STRING_VALUE)
            what = "String cannot represent a non string value: ";
        break;
    case GQLX_SCALAR_BOOLEAN:
        if (k != GQLX_KIND_BOOLEAN_VALUE)
            what = "Boolean cannot represent a non boolean value: ";
        break;
    case GQLX_SCALAR_ID:
        if (k != GQLX_KIND_STRING_VALUE && k != GQLX_KIND_INT_VALUE)
            what = "ID cannot represent a non-string and non-integer value: ";
        break;
    default:
        break; /* custom scalars accept any literal */
    }
    if (what == NULL)
        return;
    gqlx_buf *b = default_msg(c, d, path);
    gqlx_buf_append_cstr(b, what);
    print_value(c, b, v);
    emit1(c, v->start);
}

static const char oneof_message_fmt[] =
    "Within OneOf Input Object type \"%.*s\", exactly one field must be specified, and the value "
    "for that field must be non-null.";

static void check_literal(vs_ctx *c, const default_ctx *d, const gqlx_node *v,
                          const gqlx_type_ref *t, const vpath *path, unsigned depth)
{
    if (depth > MAX_DEPTH || c->oom)
        return;
    if (v->kind == GQLX_KIND_VARIABLE)
        return; /* not in constant literals; static validation skips them */
    if (t->wrap == GQLX_WRAP_NON_NULL) {
        if (v->kind == GQLX_KIND_NULL_VALUE) {
            gqlx_buf *b = default_msg(c, d, path);
            gqlx_buf_append_cstr(b, "Expected value of non-null type \"");
            gqlx_type_ref_print(b, t);
            gqlx_buf_append_cstr(b, "\" not to be null.");
            emit1(c, v->start);
            return;
        }
        check_literal(c, d, v, t->of, path, depth + 1);
        return;
    }
    if (v->kind == GQLX_KIND_NULL_VALUE)
        return;
    if (t->wrap == GQLX_WRAP_LIST) {
        if (v->kind != GQLX_KIND_LIST_VALUE) {
            check_literal(c, d, v, t->of, path, depth + 1);
            return;
        }
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, v);
        for (uint32_t i = 0; i < l->values.count; i++) {
            vpath p = {path, NULL, {NULL, 0}, i, false};
            check_literal(c, d, l->values.items[i], t->of, &p, depth + 1);
        }
        return;
    }
    const gqlx_type *nt = t->named;
    if (nt->kind != GQLX_TYPE_INPUT_OBJECT) {
        check_leaf(c, d, v, nt, path);
        return;
    }
    if (v->kind != GQLX_KIND_OBJECT_VALUE) {
        gqlx_buf *b = default_msg(c, d, path);
        gqlx_buf_printf(b,
                        "Expected value of type \"%.*s\" to be an object, found: ", NAME(nt->name));
        print_value(c, b, v);
        gqlx_buf_append_cstr(b, ".");
        emit1(c, v->start);
        return;
    }
    const gqlx_object_value *o = GQLX_AS_CONST(gqlx_object_value, v);
    /* Field definitions in order; a repeated literal field counts by its
     * last occurrence (graphql-js's keyMap). */
    for (uint32_t i = 0; i < nt->input_field_count; i++) {
        const gqlx_input_value *f = &nt->input_fields[i];
        const gqlx_object_field *node = NULL;
        for (uint32_t j = o->fields.count; j-- > 0;) {
            gqlx_slice fn = o->fields.items[j]->name;
            if (fn.len == f->name->len && memcmp(fn.ptr, f->name->str, fn.len) == 0) {
                node = o->fields.items[j];
                break;
            }
        }
        if (node == NULL) {
            if (is_required(f)) {
                gqlx_buf *b = default_msg(c, d, path);
                gqlx_buf_printf(b,
                                "Expected value of type \"%.*s\" to include required field "
                                "\"%.*s\", found: ",
                                NAME(nt->name), NAME(f->name));
                print_value(c, b, v);
                gqlx_buf_append_cstr(b, ".");
                emit1(c, v->start);
            }
            continue;
        }
        vpath p = {path, f->name, gqlx_name_slice(f->name), 0, true};
        if (node->value != NULL)
            check_literal(c, d, node->value, f->type, &p, depth + 1);
    }
    uint32_t known = 0;
    const gqlx_object_field *first_known = NULL;
    gqlx_slice *names = NULL;
    for (uint32_t j = 0; j < o->fields.count; j++) {
        const gqlx_object_field *fnode = o->fields.items[j];
        if (gqlx_type_input_field(nt, fnode->name.ptr, fnode->name.len) != NULL) {
            if (known++ == 0)
                first_known = fnode;
            continue;
        }
        if (names == NULL) {
            names = GQLX_ARRAY(c->a, gqlx_slice, nt->input_field_count + 1);
            if (names == NULL) {
                c->oom = true;
                return;
            }
            for (uint32_t i = 0; i < nt->input_field_count; i++)
                names[i] = gqlx_name_slice(nt->input_fields[i].name);
        }
        gqlx_slice *sugg;
        size_t n = gqlx_suggestion_list(c->a, fnode->name, names, nt->input_field_count, &sugg);
        gqlx_buf *b = default_msg(c, d, path);
        gqlx_buf_printf(b, "Expected value of type \"%.*s\" not to include unknown field \"%.*s\"",
                        NAME(nt->name), SL(fnode->name));
        if (n > 0) {
            gqlx_buf_append_cstr(b, ".");
            gqlx_did_you_mean(b, NULL, sugg, n);
            gqlx_buf_append_cstr(b, " Found: ");
        } else {
            gqlx_buf_append_cstr(b, ", found: ");
        }
        print_value(c, b, v);
        gqlx_buf_append_cstr(b, ".");
        emit1(c, fnode->base.start);
    }
    if (nt->one_of) {
        if (known != 1) {
            gqlx_buf *b = default_msg(c, d, path);
            gqlx_buf_printf(b, oneof_message_fmt, NAME(nt->name));
            emit1(c, v->start);
            return;
        }
        if (first_known->value != NULL && first_known->value->kind == GQLX_KIND_NULL_VALUE) {
            vpath p = {path, NULL, first_known->name, 0, true};
            gqlx_buf *b = default_msg(c, d, &p);
            gqlx_buf_printf(b, oneof_message_fmt, NAME(nt->name));
            emit1(c, v->start);
        }
    }
}

static void validate_default_value(vs_ctx *c, const input_owner *o, const gqlx_input_value *iv)
{
    if (iv->default_value == NULL || iv->ast == NULL)
        return; /* built-in defaults are valid */
    default_ctx d = {o, iv};
    check_literal(c, &d, iv->default_value, iv->type, NULL, 0);
}

/* ---- root types -------------------------------------------------------- */

/* The NamedType node of the first `operation: Type` in the schema
 * definition and its extensions (graphql-js getOperationTypeNode). */
static uint32_t operation_type_node(const gqlx_schema *s, gqlx_operation op)
{
    const gqlx_schema_def *defs[1] = {s->ast};
    for (uint32_t k = 0; k <= s->extension_count; k++) {
        const gqlx_schema_def *sd =
            k == 0 ? defs[0] : GQLX_AS_CONST(gqlx_schema_def, s->extensions[k - 1]);
        if (sd == NULL)
            continue;
        for (uint32_t i = 0; i < sd->operation_types.count; i++)
            if (sd->operation_types.items[i]->operation == op)
                return off(&sd->operation_types.items[i]->type->base);
    }
    return NO_OFFSET;
}

static void validate_root_types(vs_ctx *c)
{
    const gqlx_schema *s = c->s;
    if (s->query == NULL) {
        gqlx_buf_append_cstr(msg(c), "Query root type must be provided.");
        emit1(c, s->ast ? s->ast->base.start : NO_OFFSET);
    }
    const gqlx_type *roots[3] = {s->query, s->mutation, s->subscription};
    static const char *const cap[3] = {"Query", "Mutation", "Subscription"};
    static const char *const low[3] = {"query", "mutation", "subscription"};
    bool object_root[3] = {false, false, false};
    for (int op = 0; op < 3; op++) {
        const gqlx_type *t = roots[op];
        if (t == NULL)
            continue;
        if (t->kind != GQLX_TYPE_OBJECT) {
            gqlx_buf_printf(msg(c), "%s root type must be Object type%s, it cannot be %.*s.",
                            cap[op], op == 0 ? "" : " if provided", NAME(t->name));
            uint32_t o = operation_type_node(s, (gqlx_operation)op);
            emit1(c, o != NO_OFFSET ? o : off(t->ast));
        } else {
            object_root[op] = true;
        }
    }
    /* Types used for several operations, in order of first use. */
    for (int op = 0; op < 3; op++) {
        if (!object_root[op])
            continue;
        bool seen_before = false;
        for (int p = 0; p < op; p++)
            seen_before = seen_before || (object_root[p] && roots[p] == roots[op]);
        if (seen_before)
            continue;
        gqlx_slice ops[3];
        uint32_t nodes[3];
        size_t n = 0;
        for (int q = op; q < 3; q++) {
            if (object_root[q] && roots[q] == roots[op]) {
                ops[n] = gqlx_slice_cstr(low[q]);
                nodes[n] = operation_type_node(s, (gqlx_operation)q);
                n++;
            }
        }
        if (n < 2)
            continue;
        gqlx_buf *b = msg(c);
        gqlx_buf_printf(b, "All root types must be different, \"%.*s\" type is used as ",
                        NAME(roots[op]->name));
        gqlx_format_list(b, "and", ops, n);
        gqlx_buf_append_cstr(b, " root types.");
        emit(c, nodes, n);
    }
}

/* ---- directives -------------------------------------------------------- */

static void validate_directives(vs_ctx *c)
{
    for (uint32_t i = 0; i < c->s->directive_count; i++) {
        const gqlx_directive_decl *d = c->s->directives[i];
        if (d->builtin)
            continue; /* specified directives are valid */
        uint32_t d_off = d->ast ? d->ast->base.start : NO_OFFSET;
        validate_name(c, d->name, d_off);
        if (d->locations == 0 && d->location_count == 0) {
            gqlx_buf_printf(msg(c), "Directive @%.*s must include 1 or more locations.",
                            NAME(d->name));
            emit1(c, d_off);
        }
        input_owner o = {"@", d->name, NULL, true};
        for (uint32_t k = 0; k < d->arg_count; k++) {
            const gqlx_input_value *arg = &d->args[k];
            const gqlx_node *an = arg->ast ? &arg->ast->base : NULL;
            validate_name(c, arg->name, off(an));
            if (!gqlx_type_ref_is_input(arg->type)) {
                gqlx_buf *b = msg(c);
                gqlx_buf_append_cstr(b, "The type of ");
                print_input_value(b, &o, arg);
                gqlx_buf_append_cstr(b, " must be Input Type but got: ");
                gqlx_type_ref_print(b, arg->type);
                gqlx_buf_append_cstr(b, ".");
                emit1(c, off(an));
            }
            if (is_required(arg) && arg->deprecation_reason.ptr != NULL) {
                gqlx_buf *b = msg(c);
                gqlx_buf_append_cstr(b, "Required argument ");
                print_input_value(b, &o, arg);
                gqlx_buf_append_cstr(b, " cannot be deprecated.");
                uint32_t nodes[2] = {arg->ast ? deprecated_node(&arg->ast->directives) : NO_OFFSET,
                                     arg->ast ? off(arg->ast->type) : NO_OFFSET};
                emit(c, nodes, 2);
            }
            validate_default_value(c, &o, arg);
        }
    }
}

/* ---- object and interface types ---------------------------------------- */

static void validate_fields(vs_ctx *c, const gqlx_type *t)
{
    if (t->field_count == 0) {
        gqlx_buf_printf(msg(c), "Type %.*s must define one or more fields.", NAME(t->name));
        offs l = {0};
        add_type_nodes(c, &l, t);
        emit(c, l.v, l.n);
    }
    for (uint32_t i = 0; i < t->field_count; i++) {
        const gqlx_field_decl *f = &t->fields[i];
        validate_name(c, f->name, f->ast ? f->ast->base.start : NO_OFFSET);
        if (!gqlx_type_ref_is_output(f->type)) {
            gqlx_buf *b = msg(c);
            gqlx_buf_printf(b, "The type of %.*s.%.*s must be Output Type but got: ", NAME(t->name),
                            NAME(f->name));
            gqlx_type_ref_print(b, f->type);
            gqlx_buf_append_cstr(b, ".");
            emit1(c, f->ast ? off(f->ast->type) : NO_OFFSET);
        }
        input_owner o = {"", t->name, f->name, true};
        for (uint32_t k = 0; k < f->arg_count; k++) {
            const gqlx_input_value *arg = &f->args[k];
            validate_name(c, arg->name, arg->ast ? arg->ast->base.start : NO_OFFSET);
            if (!gqlx_type_ref_is_input(arg->type)) {
                gqlx_buf *b = msg(c);
                gqlx_buf_append_cstr(b, "The type of ");
                print_input_value(b, &o, arg);
                gqlx_buf_append_cstr(b, " must be Input Type but got: ");
                gqlx_type_ref_print(b, arg->type);
                gqlx_buf_append_cstr(b, ".");
                emit1(c, arg->ast ? off(arg->ast->type) : NO_OFFSET);
            }
            if (is_required(arg) && arg->deprecation_reason.ptr != NULL) {
                gqlx_buf *b = msg(c);
                gqlx_buf_append_cstr(b, "Required argument ");
                print_input_value(b, &o, arg);
                gqlx_buf_append_cstr(b, " cannot be deprecated.");
                uint32_t nodes[2] = {arg->ast ? deprecated_node(&arg->ast->directives) : NO_OFFSET,
                                     arg->ast ? off(arg->ast->type) : NO_OFFSET};
                emit(c, nodes, 2);
            }
            validate_default_value(c, &o, arg);
        }
    }
}

/* Every `implements` NamedType node naming iface, across the type's
 * definition and extensions (graphql-js getAllImplementsInterfaceNodes). */
static void add_implements_nodes(vs_ctx *c, offs *l, const gqlx_type *t, const gqlx_type *iface)
{
    for (uint32_t k = 0; k <= t->extension_count; k++) {
        const gqlx_node *n = k == 0 ? t->ast : t->extensions[k - 1];
        if (n == NULL)
            continue;
        if (n->kind != GQLX_KIND_OBJECT_TYPE_DEFINITION &&
            n->kind != GQLX_KIND_OBJECT_TYPE_EXTENSION &&
            n->kind != GQLX_KIND_INTERFACE_TYPE_DEFINITION &&
            n->kind != GQLX_KIND_INTERFACE_TYPE_EXTENSION)
            continue;
        const gqlx_object_type_def *d = GQLX_AS_CONST(gqlx_object_type_def, n);
        for (uint32_t i = 0; i < d->interfaces.count; i++) {
            gqlx_slice nm = d->interfaces.items[i]->name;
            if (nm.len == iface->name->len && memcmp(nm.ptr, iface->name->str, nm.len) == 0)
                offs_add(c, l, d->interfaces.items[i]->base.start);
        }
    }
}

static void emit_implements(vs_ctx *c, const gqlx_type *t, const gqlx_type *iface)
{
    offs l = {0};
    add_implements_nodes(c, &l, t, iface);
    emit(c, l.v, l.n);
}

static const gqlx_input_value *find_arg(const gqlx_field_decl *f, const gqlx_name *name)
{
    for (uint32_t i = 0; i < f->arg_count; i++)
        if (f->args[i].name == name || (f->args[i].name->len == name->len &&
                                        memcmp(f->args[i].name->str, name->str, name->len) == 0))
            return &f->args[i];
    return NULL;
}

static void validate_implements_interface(vs_ctx *c, const gqlx_type *t, const gqlx_type *iface)
{
    for (uint32_t i = 0; i < iface->field_count; i++) {
        const gqlx_field_decl *iff = &iface->fields[i];
        const gqlx_field_decl *tf = gqlx_type_field(t, iff->name->str, iff->name->len);
        if (tf == NULL) {
            gqlx_buf_printf(msg(c),
                            "Interface field %.*s.%.*s expected but %.*s does not provide it.",
                            NAME(iface->name), NAME(iff->name), NAME(t->name));
            offs l = {0};
            offs_add(c, &l, iff->ast ? iff->ast->base.start : NO_OFFSET);
            add_type_nodes(c, &l, t);
            emit(c, l.v, l.n);
            continue;
        }
        if (!gqlx_schema_is_subtype(c->s, tf->type, iff->type)) {
            gqlx_buf *b = msg(c);
            gqlx_buf_printf(b, "Interface field %.*s.%.*s expects type ", NAME(iface->name),
                            NAME(iff->name));
            gqlx_type_ref_print(b, iff->type);
            gqlx_buf_printf(b, " but %.*s.%.*s is type ", NAME(t->name), NAME(tf->name));
            gqlx_type_ref_print(b, tf->type);
            gqlx_buf_append_cstr(b, ".");
            uint32_t nodes[2] = {iff->ast ? off(iff->ast->type) : NO_OFFSET,
                                 tf->ast ? off(tf->ast->type) : NO_OFFSET};
            emit(c, nodes, 2);
        }
        for (uint32_t k = 0; k < iff->arg_count; k++) {
            const gqlx_input_value *ia = &iff->args[k];
            const gqlx_input_value *ta = find_arg(tf, ia->name);
            if (ta == NULL) {
                gqlx_buf_printf(msg(c),
                                "Interface field argument %.*s.%.*s(%.*s:) expected but %.*s.%.*s "
                                "does not provide it.",
                                NAME(iface->name), NAME(iff->name), NAME(ia->name), NAME(t->name),
                                NAME(tf->name));
                uint32_t nodes[2] = {ia->ast ? ia->ast->base.start : NO_OFFSET,
                                     tf->ast ? tf->ast->base.start : NO_OFFSET};
                emit(c, nodes, 2);
                continue;
            }
            if (!gqlx_type_ref_equal(ia->type, ta->type)) {
                gqlx_buf *b = msg(c);
                gqlx_buf_printf(b, "Interface field argument %.*s.%.*s(%.*s:) expects type ",
                                NAME(iface->name), NAME(iff->name), NAME(ia->name));
                gqlx_type_ref_print(b, ia->type);
                gqlx_buf_printf(b, " but %.*s.%.*s(%.*s:) is type ", NAME(t->name), NAME(tf->name),
                                NAME(ta->name));
                gqlx_type_ref_print(b, ta->type);
                gqlx_buf_append_cstr(b, ".");
                uint32_t nodes[2] = {ia->ast ? off(ia->ast->type) : NO_OFFSET,
                                     ta->ast ? off(ta->ast->type) : NO_OFFSET};
                emit(c, nodes, 2);
            }
        }
        for (uint32_t k = 0; k < tf->arg_count; k++) {
            const gqlx_input_value *ta = &tf->args[k];
            if (!is_required(ta) || find_arg(iff, ta->name) != NULL)
                continue;
            gqlx_buf *b = msg(c);
            gqlx_buf_printf(b, "Argument \"%.*s.%.*s(%.*s:)\" must not be required type \"",
                            NAME(t->name), NAME(tf->name), NAME(ta->name));
            gqlx_type_ref_print(b, ta->type);
            gqlx_buf_printf(b, "\" if not provided by the Interface field \"%.*s.%.*s\".",
                            NAME(iface->name), NAME(iff->name));
            uint32_t nodes[2] = {ta->ast ? ta->ast->base.start : NO_OFFSET,
                                 iff->ast ? iff->ast->base.start : NO_OFFSET};
            emit(c, nodes, 2);
        }
        if (tf->deprecation_reason.ptr != NULL && iff->deprecation_reason.ptr == NULL) {
            gqlx_buf_printf(msg(c),
                            "Interface field %.*s.%.*s is not deprecated, so implementation field "
                            "%.*s.%.*s must not be deprecated.",
                            NAME(iface->name), NAME(iff->name), NAME(t->name), NAME(tf->name));
            uint32_t nodes[2] = {tf->ast ? deprecated_node(&tf->ast->directives) : NO_OFFSET,
                                 tf->ast ? off(tf->ast->type) : NO_OFFSET};
            emit(c, nodes, 2);
        }
    }
}

static bool implements(const gqlx_type *t, const gqlx_type *iface)
{
    for (uint32_t i = 0; i < t->interface_count; i++)
        if (t->interfaces[i] == iface)
            return true;
    return false;
}

static void validate_implements_ancestors(vs_ctx *c, const gqlx_type *t, const gqlx_type *iface)
{
    for (uint32_t i = 0; i < iface->interface_count; i++) {
        const gqlx_type *tr = iface->interfaces[i];
        if (implements(t, tr))
            continue;
        if (tr == t)
            gqlx_buf_printf(msg(c),
                            "Type %.*s cannot implement %.*s because it would create a circular "
                            "reference.",
                            NAME(t->name), NAME(iface->name));
        else
            gqlx_buf_printf(msg(c),
                            "Type %.*s must implement %.*s because it is implemented by %.*s.",
                            NAME(t->name), NAME(tr->name), NAME(iface->name));
        offs l = {0};
        add_implements_nodes(c, &l, iface, tr);
        add_implements_nodes(c, &l, t, iface);
        emit(c, l.v, l.n);
    }
}

static void validate_interfaces(vs_ctx *c, const gqlx_type *t)
{
    for (uint32_t i = 0; i < t->interface_count; i++) {
        const gqlx_type *iface = t->interfaces[i];
        if (iface->kind != GQLX_TYPE_INTERFACE) {
            gqlx_buf_printf(msg(c),
                            "Type %.*s must only implement Interface types, it cannot implement "
                            "%.*s.",
                            NAME(t->name), NAME(iface->name));
            emit_implements(c, t, iface);
            continue;
        }
        if (iface == t) {
            gqlx_buf_printf(msg(c),
                            "Type %.*s cannot implement itself because it would create a "
                            "circular reference.",
                            NAME(t->name));
            emit_implements(c, t, iface);
            continue;
        }
        bool dup = false;
        for (uint32_t k = 0; k < i && !dup; k++)
            dup = t->interfaces[k]->kind == GQLX_TYPE_INTERFACE && t->interfaces[k] != t &&
                  t->interfaces[k]->name == iface->name;
        if (dup) {
            gqlx_buf_printf(msg(c), "Type %.*s can only implement %.*s once.", NAME(t->name),
                            NAME(iface->name));
            emit_implements(c, t, iface);
            continue;
        }
        validate_implements_ancestors(c, t, iface);
        validate_implements_interface(c, t, iface);
    }
}

/* ---- unions, enums, input objects --------------------------------------- */

static void add_member_nodes(vs_ctx *c, offs *l, const gqlx_type *u, const gqlx_name *name)
{
    for (uint32_t k = 0; k <= u->extension_count; k++) {
        const gqlx_node *n = k == 0 ? u->ast : u->extensions[k - 1];
        if (n == NULL || (n->kind != GQLX_KIND_UNION_TYPE_DEFINITION &&
                          n->kind != GQLX_KIND_UNION_TYPE_EXTENSION))
            continue;
        const gqlx_union_type_def *d = GQLX_AS_CONST(gqlx_union_type_def, n);
        for (uint32_t i = 0; i < d->types.count; i++) {
            gqlx_slice nm = d->types.items[i]->name;
            if (nm.len == name->len && memcmp(nm.ptr, name->str, nm.len) == 0)
                offs_add(c, l, d->types.items[i]->base.start);
        }
    }
}

static void validate_union(vs_ctx *c, const gqlx_type *u)
{
    if (u->member_count == 0) {
        gqlx_buf_printf(msg(c), "Union type %.*s must define one or more member types.",
                        NAME(u->name));
        offs l = {0};
        add_type_nodes(c, &l, u);
        emit(c, l.v, l.n);
    }
    for (uint32_t i = 0; i < u->member_count; i++) {
        const gqlx_type *m = u->members[i];
        bool dup = false;
        for (uint32_t k = 0; k < i && !dup; k++)
            dup = u->members[k]->name == m->name;
        if (dup)
            gqlx_buf_printf(msg(c), "Union type %.*s can only include type %.*s once.",
                            NAME(u->name), NAME(m->name));
        else if (m->kind != GQLX_TYPE_OBJECT)
            gqlx_buf_printf(msg(c),
                            "Union type %.*s can only include Object types, it cannot include "
                            "%.*s.",
                            NAME(u->name), NAME(m->name));
        else
            continue;
        offs l = {0};
        add_member_nodes(c, &l, u, m->name);
        emit(c, l.v, l.n);
    }
}

static void validate_enum(vs_ctx *c, const gqlx_type *e)
{
    if (e->value_count == 0) {
        gqlx_buf_printf(msg(c), "Enum type %.*s must define one or more values.", NAME(e->name));
        offs l = {0};
        add_type_nodes(c, &l, e);
        emit(c, l.v, l.n);
    }
    for (uint32_t i = 0; i < e->value_count; i++)
        validate_name(c, e->values[i].name,
                      e->values[i].ast ? e->values[i].ast->base.start : NO_OFFSET);
}

static void validate_input_fields(vs_ctx *c, const gqlx_type *t)
{
    if (t->input_field_count == 0) {
        gqlx_buf_printf(msg(c), "Input Object type %.*s must define one or more fields.",
                        NAME(t->name));
        offs l = {0};
        add_type_nodes(c, &l, t);
        emit(c, l.v, l.n);
    }
    input_owner o = {"", t->name, NULL, false};
    for (uint32_t i = 0; i < t->input_field_count; i++) {
        const gqlx_input_value *f = &t->input_fields[i];
        validate_name(c, f->name, f->ast ? f->ast->base.start : NO_OFFSET);
        if (!gqlx_type_ref_is_input(f->type)) {
            gqlx_buf *b = msg(c);
            gqlx_buf_printf(b, "The type of %.*s.%.*s must be Input Type but got: ", NAME(t->name),
                            NAME(f->name));
            gqlx_type_ref_print(b, f->type);
            gqlx_buf_append_cstr(b, ".");
            emit1(c, f->ast ? off(f->ast->type) : NO_OFFSET);
        }
        if (is_required(f) && f->deprecation_reason.ptr != NULL) {
            gqlx_buf_printf(msg(c), "Required input field %.*s.%.*s cannot be deprecated.",
                            NAME(t->name), NAME(f->name));
            uint32_t nodes[2] = {f->ast ? deprecated_node(&f->ast->directives) : NO_OFFSET,
                                 f->ast ? off(f->ast->type) : NO_OFFSET};
            emit(c, nodes, 2);
        }
        validate_default_value(c, &o, f);
        if (t->one_of) {
            if (gqlx_type_ref_is_non_null(f->type)) {
                gqlx_buf_printf(msg(c), "OneOf input field %.*s.%.*s must be nullable.",
                                NAME(t->name), NAME(f->name));
                emit1(c, f->ast ? off(f->ast->type) : NO_OFFSET);
            }
            if (f->default_value != NULL) {
                gqlx_buf_printf(msg(c), "OneOf input field %.*s.%.*s cannot have a default value.",
                                NAME(t->name), NAME(f->name));
                emit1(c, f->ast ? f->ast->base.start : NO_OFFSET);
            }
        }
    }
}

/* ---- default values that reference themselves ---------------------------
 *
 * graphql-js createInputObjectDefaultValueCircularRefsValidator: starting
 * from each input object, follow input-object-typed fields; a field whose
 * default value is used (absent from the enclosing literal) contributes its
 * default literal, which is followed in turn. Reaching a field already on
 * the path is a cycle. visited[] (one flag per input field, global over the
 * whole run) makes each field's default explored once. */

typedef struct dv_entry {
    const gqlx_type *owner;
    const gqlx_input_value *field;
} dv_entry;

typedef struct dv_ctx {
    vs_ctx *c;
    uint8_t **visited;   /* per type index: per input field flag */
    uint32_t **path_pos; /* per type index: per input field, 1-based path index or 0 */
    dv_entry *path;
    uint32_t len, cap;
} dv_ctx;

static void dv_literal(dv_ctx *d, const gqlx_type *obj, const gqlx_node *lit, unsigned depth);

static uint32_t field_index(const gqlx_type *t, const gqlx_input_value *f)
{
    return (uint32_t)(f - t->input_fields);
}

static void dv_field(dv_ctx *d, const gqlx_type *owner, const gqlx_input_value *f,
                     const gqlx_type *ftype, unsigned depth)
{
    vs_ctx *c = d->c;
    if (f->default_value == NULL || depth > MAX_DEPTH || owner->index >= c->s->type_count)
        return;
    uint32_t fi = field_index(owner, f);
    uint32_t at = d->path_pos[owner->index][fi];
    if (at != 0) {
        gqlx_buf *b = msg(c);
        gqlx_buf_printf(b,
                        "Invalid circular reference. The default value of Input Object field "
                        "%.*s.%.*s references itself",
                        NAME(owner->name), NAME(f->name));
        if (at < d->len) {
            gqlx_buf_append_cstr(b, " via the default values of: ");
            for (uint32_t i = at; i < d->len; i++)
                gqlx_buf_printf(b, "%s%.*s.%.*s", i > at ? ", " : "", NAME(d->path[i].owner->name),
                                NAME(d->path[i].field->name));
        }
        gqlx_buf_append_cstr(b, ".");
        offs l = {0};
        for (uint32_t i = at - 1; i < d->len; i++) {
            const gqlx_input_value *pf = d->path[i].field;
            offs_add(c, &l, pf->ast ? off(pf->ast->default_value) : NO_OFFSET);
        }
        emit(c, l.v, l.n);
        return;
    }
    if (d->visited[owner->index][fi])
        return;
    d->visited[owner->index][fi] = 1;
    if (d->len == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 16;
        dv_entry *p = GQLX_ARRAY(c->a, dv_entry, cap);
        if (p == NULL) {
            c->oom = true;
            return;
        }
        if (d->len)
            memcpy(p, d->path, d->len * sizeof *p);
        d->path = p;
        d->cap = cap;
    }
    d->path[d->len++] = (dv_entry){owner, f};
    d->path_pos[owner->index][fi] = d->len;
    dv_literal(d, ftype, f->default_value, depth + 1);
    d->len--;
    d->path_pos[owner->index][fi] = 0;
}

static void dv_literal(dv_ctx *d, const gqlx_type *obj, const gqlx_node *lit, unsigned depth)
{
    if (depth > MAX_DEPTH || d->c->oom)
        return;
    if (lit->kind == GQLX_KIND_LIST_VALUE) {
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, lit);
        for (uint32_t i = 0; i < l->values.count; i++)
            dv_literal(d, obj, l->values.items[i], depth + 1);
        return;
    }
    /* The initial call passes the type's own AST-less "empty object": NULL
     * literal stands for {} there. */
    const gqlx_object_value *o = NULL;
    if (lit->kind == GQLX_KIND_OBJECT_VALUE)
        o = GQLX_AS_CONST(gqlx_object_value, lit);
    else if (lit->kind != GQLX_KIND_DOCUMENT) /* DOCUMENT marks the empty object */
        return;
    for (uint32_t i = 0; i < obj->input_field_count; i++) {
        const gqlx_input_value *f = &obj->input_fields[i];
        const gqlx_type *nt = f->type->named;
        if (nt->kind != GQLX_TYPE_INPUT_OBJECT)
            continue;
        const gqlx_object_field *node = NULL;
        for (uint32_t j = o ? o->fields.count : 0; j-- > 0;) {
            gqlx_slice fn = o->fields.items[j]->name;
            if (fn.len == f->name->len && memcmp(fn.ptr, f->name->str, fn.len) == 0) {
                node = o->fields.items[j];
                break;
            }
        }
        if (node != NULL) {
            if (node->value != NULL)
                dv_literal(d, nt, node->value, depth + 1);
        } else {
            dv_field(d, obj, f, nt, depth + 1);
        }
    }
}

static bool dv_init(dv_ctx *d, vs_ctx *c)
{
    memset(d, 0, sizeof *d);
    d->c = c;
    uint32_t n = c->s->type_count;
    d->visited = GQLX_ARRAY(c->a, uint8_t *, n + 1);
    d->path_pos = GQLX_ARRAY(c->a, uint32_t *, n + 1);
    if (d->visited == NULL || d->path_pos == NULL)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        const gqlx_type *t = c->s->types[i];
        d->visited[i] = NULL;
        d->path_pos[i] = NULL;
        if (t->kind != GQLX_TYPE_INPUT_OBJECT)
            continue;
        d->visited[i] = gqlx_arena_zalloc(c->a, t->input_field_count + 1, 1);
        d->path_pos[i] = gqlx_arena_zalloc(c->a, (t->input_field_count + 1) * sizeof(uint32_t),
                                           _Alignof(uint32_t));
        if (d->visited[i] == NULL || d->path_pos[i] == NULL)
            return false;
    }
    return true;
}

/* ---- input objects that can never be given a finite value ---------------
 *
 * graphql-js 17 detectInputObjectNonFiniteValues: an input object has a
 * finite value unless every way to build one needs itself again. Targets of
 * an ordinary input object are its fields of type Named! (non-null input
 * object); of a @oneOf object, its fields of a (nullable, unwrapped) input
 * object type. An ordinary object is finite once all targets are finite; a
 * @oneOf object once any field is (a field that is not a target counts as
 * finite). Propagation is a worklist over reverse edges, linear overall.
 * Then a depth-first search from each non-finite object reports each cycle
 * through non-finite targets, as graphql-js's reportCycleRecursive does. */

typedef struct fin_state {
    const gqlx_type *obj;
    uint32_t *targets; /* field indices whose type is a target */
    uint32_t target_count;
    uint32_t *dependents; /* type indices depending on this one */
    uint32_t dependent_count, dependent_cap;
    uint32_t unresolved;
    bool finite;
    bool visited;
    uint32_t path_index; /* position on the DFS path + 1, 0 = not on it */
} fin_state;

static const gqlx_type *finite_target(const gqlx_type *obj, const gqlx_type_ref *t)
{
    if (obj->one_of)
        return t->wrap == GQLX_WRAP_NAMED && t->named->kind == GQLX_TYPE_INPUT_OBJECT ? t->named
                                                                                      : NULL;
    if (t->wrap == GQLX_WRAP_NON_NULL && t->of->wrap == GQLX_WRAP_NAMED &&
        t->of->named->kind == GQLX_TYPE_INPUT_OBJECT)
        return t->of->named;
    return NULL;
}

typedef struct fin_ctx {
    vs_ctx *c;
    fin_state **by_type; /* per type index */
    const gqlx_input_value **path;
    const gqlx_type **path_owner;
    uint32_t len;
} fin_ctx;

static void fin_report(fin_ctx *f, fin_state *st, unsigned depth)
{
    vs_ctx *c = f->c;
    if (st->visited || depth > MAX_DEPTH || c->oom)
        return;
    st->visited = true;
    st->path_index = f->len + 1;
    for (uint32_t i = 0; i < st->target_count; i++) {
        const gqlx_input_value *field = &st->obj->input_fields[st->targets[i]];
        const gqlx_type *target = finite_target(st->obj, field->type);
        fin_state *ts =
            target && target->index < c->s->type_count ? f->by_type[target->index] : NULL;
        if (ts == NULL || ts->finite)
            continue;
        uint32_t cycle = ts->path_index;
        f->path[f->len] = field;
        f->path_owner[f->len] = st->obj;
        f->len++;
        if (cycle == 0) {
            fin_report(f, ts, depth + 1);
        } else {
            gqlx_buf *b = msg(c);
            gqlx_buf_printf(b,
                            "Input Object %.*s cannot be provided a finite value because it "
                            "references itself through fields: ",
                            NAME(target->name));
            offs l = {0};
            for (uint32_t k = cycle - 1; k < f->len; k++) {
                gqlx_buf_printf(b, "%s%.*s.%.*s", k > cycle - 1 ? ", " : "",
                                NAME(f->path_owner[k]->name), NAME(f->path[k]->name));
                offs_add(c, &l, f->path[k]->ast ? f->path[k]->ast->base.start : NO_OFFSET);
            }
            gqlx_buf_append_cstr(b, ".");
            emit(c, l.v, l.n);
        }
        f->len--;
    }
    st->path_index = 0;
}

static void detect_non_finite(vs_ctx *c)
{
    const gqlx_schema *s = c->s;
    uint32_t n = s->type_count;
    fin_ctx f = {c, NULL, NULL, NULL, 0};
    f.by_type = GQLX_ARRAY(c->a, fin_state *, n + 1);
    uint32_t *work = GQLX_ARRAY(c->a, uint32_t, n + 1);
    f.path = GQLX_ARRAY(c->a, const gqlx_input_value *, n + MAX_DEPTH + 2);
    f.path_owner = GQLX_ARRAY(c->a, const gqlx_type *, n + MAX_DEPTH + 2);
    if (!f.by_type || !work || !f.path || !f.path_owner) {
        c->oom = true;
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        f.by_type[i] = NULL;
        const gqlx_type *t = s->types[i];
        if (t->kind != GQLX_TYPE_INPUT_OBJECT)
            continue;
        fin_state *st = GQLX_NEW(c->a, fin_state);
        if (st == NULL || !(st->targets = GQLX_ARRAY(c->a, uint32_t, t->input_field_count + 1))) {
            c->oom = true;
            return;
        }
        st->obj = t;
        f.by_type[i] = st;
    }
    uint32_t wn = 0;
    for (uint32_t i = 0; i < n; i++) {
        fin_state *st = f.by_type[i];
        if (st == NULL)
            continue;
        for (uint32_t k = 0; k < st->obj->input_field_count; k++) {
            const gqlx_type *target = finite_target(st->obj, st->obj->input_fields[k].type);
            if (target == NULL)
                continue;
            st->targets[st->target_count++] = k;
            fin_state *ts = target->index < n ? f.by_type[target->index] : NULL;
            if (ts == NULL)
                continue;
            if (ts->dependent_count == ts->dependent_cap) {
                uint32_t cap = ts->dependent_cap ? ts->dependent_cap * 2 : 4;
                uint32_t *d = GQLX_ARRAY(c->a, uint32_t, cap);
                if (d == NULL) {
                    c->oom = true;
                    return;
                }
                if (ts->dependent_count)
                    memcpy(d, ts->dependents, ts->dependent_count * sizeof *d);
                ts->dependents = d;
                ts->dependent_cap = cap;
            }
            ts->dependents[ts->dependent_count++] = i;
        }
        bool mark;
        if (st->obj->one_of) {
            mark = st->obj->input_field_count == 0 || st->target_count < st->obj->input_field_count;
        } else {
            st->unresolved = st->target_count;
            mark = st->target_count == 0;
        }
        if (mark) {
            st->finite = true;
            work[wn++] = i;
        }
    }
    while (wn > 0) {
        fin_state *st = f.by_type[work[--wn]];
        for (uint32_t k = 0; k < st->dependent_count; k++) {
            fin_state *dep = f.by_type[st->dependents[k]];
            if (dep->finite)
                continue;
            if (dep->obj->one_of || --dep->unresolved == 0) {
                dep->finite = true;
                work[wn++] = st->dependents[k];
            }
        }
    }
    for (uint32_t i = 0; i < n && !c->oom; i++)
        if (f.by_type[i] != NULL && !f.by_type[i]->finite)
            fin_report(&f, f.by_type[i], 0);
}

/* ---- the whole schema -------------------------------------------------- */

size_t gqlx_validate_schema(const gqlx_schema *schema, const gqlx_source *src, gqlx_arena *scratch,
                            gql_errors *errs)
{
    vs_ctx c;
    memset(&c, 0, sizeof c);
    gqlx_vreport_init(&c.rep, src, scratch, errs);
    c.a = scratch;
    c.s = schema;

    validate_root_types(&c);
    validate_directives(&c);

    dv_ctx dv;
    if (!dv_init(&dv, &c))
        c.oom = true;
    /* A node of kind DOCUMENT stands for graphql-js's initial empty
     * object literal in the default value cycle search. */
    static const gqlx_node empty_object = {GQLX_KIND_DOCUMENT, 0, 0, 0};
    for (uint32_t i = 0; i < schema->type_count && !c.oom && !c.rep.failed; i++) {
        const gqlx_type *t = schema->types[i];
        if (t->builtin)
            continue; /* specified scalars and introspection types are valid */
        validate_name(&c, t->name, t->ast ? t->ast->start : NO_OFFSET);
        switch ((gqlx_type_kind)t->kind) {
        case GQLX_TYPE_OBJECT:
        case GQLX_TYPE_INTERFACE:
            validate_fields(&c, t);
            validate_interfaces(&c, t);
            break;
        case GQLX_TYPE_UNION:
            validate_union(&c, t);
            break;
        case GQLX_TYPE_ENUM:
            validate_enum(&c, t);
            break;
        case GQLX_TYPE_INPUT_OBJECT:
            validate_input_fields(&c, t);
            dv_literal(&dv, t, &empty_object, 0);
            break;
        default:
            break;
        }
    }
    if (!c.oom && !c.rep.failed)
        detect_non_finite(&c);

    size_t n = c.rep.count;
    if (c.oom || c.rep.failed)
        scratch->failed = true; /* the caller reports GQL_ENOMEM */
    gqlx_vreport_free(&c.rep);
    return n;
}
