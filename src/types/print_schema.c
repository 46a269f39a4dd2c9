/* src/types/print_schema.c — a schema back to SDL, as graphql-js 17's
 * printSchema() writes it, byte for byte.
 *
 * Layout: the schema definition (only when it has a description or a root
 * type is not the one named Query/Mutation/Subscription), the directives
 * that are not specified ones, then every type of the type map except the
 * specified scalars and introspection types, in type-map order; blocks
 * separated by one blank line. Descriptions are block strings when
 * graphql-js's isPrintableAsBlockString() allows, else quoted strings;
 * default values are the SDL literals printed by the AST printer (what
 * graphql-js does with the literal buildSchema keeps). */
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "gql/gql.h"
#include "language/printer.h"
#include "types/build_schema.h"

typedef struct printer {
    gqlx_buf *out;
    gqlx_arena *scratch;
    gqlx_buf tmp; /* a description before indentation */
    bool first_block;
} printer;

static void put(printer *p, const char *s)
{
    gqlx_buf_append_cstr(p->out, s);
}

static void put_name(printer *p, const gqlx_name *n)
{
    gqlx_buf_append(p->out, n->str, n->len);
}

/* Starts a top-level block: blocks are joined with a blank line. */
static void begin_block(printer *p)
{
    if (!p->first_block)
        put(p, "\n\n");
    p->first_block = false;
}

/* graphql-js printDescription(): nothing without a description; else the
 * string (block form when printable as one) with every line indented, a
 * blank line first when it is not the first item of a block, and a
 * newline after. */
static void print_description(printer *p, gqlx_slice d, const char *indent, bool first)
{
    if (d.ptr == NULL)
        return;
    gqlx_buf_clear(&p->tmp);
    if (gqlx_printable_as_block_string(d.ptr, d.len))
        gqlx_print_block_string(&p->tmp, d.ptr, d.len, false);
    else
        gqlx_print_string(&p->tmp, d.ptr, d.len);
    if (p->tmp.failed) {
        p->out->failed = true;
        return;
    }
    if (*indent != '\0' && !first) {
        gqlx_buf_putc(p->out, '\n');
        put(p, indent);
    } else {
        put(p, indent);
    }
    const char *s = p->tmp.data;
    size_t n = p->tmp.len;
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\n')
            continue;
        gqlx_buf_append(p->out, s + from, i + 1 - from);
        put(p, indent);
        from = i + 1;
    }
    gqlx_buf_append(p->out, s + from, n - from);
    gqlx_buf_putc(p->out, '\n');
}

static void print_deprecated(printer *p, gqlx_slice reason)
{
    if (reason.ptr == NULL)
        return;
    if (gqlx_slice_eq_cstr(reason, "No longer supported")) {
        put(p, " @deprecated");
        return;
    }
    put(p, " @deprecated(reason: ");
    gqlx_print_string(p->out, reason.ptr, reason.len);
    gqlx_buf_putc(p->out, ')');
}

static void print_input_value(printer *p, const gqlx_input_value *v)
{
    put_name(p, v->name);
    put(p, ": ");
    gqlx_type_ref_print(p->out, v->type);
    if (v->default_value != NULL) {
        put(p, " = ");
        gqlx_print(p->out, v->default_value, p->scratch);
    }
    print_deprecated(p, v->deprecation_reason);
}

/* graphql-js printArgs(): on one line when no argument has a description,
 * else one per line. */
static void print_args(printer *p, const gqlx_input_value *args, uint32_t n, const char *indent)
{
    if (n == 0)
        return;
    bool described = false;
    for (uint32_t i = 0; i < n; i++)
        described |= args[i].description.ptr != NULL;
    if (!described) {
        gqlx_buf_putc(p->out, '(');
        for (uint32_t i = 0; i < n; i++) {
            if (i > 0)
                put(p, ", ");
            print_input_value(p, &args[i]);
        }
        gqlx_buf_putc(p->out, ')');
        return;
    }
    char inner[16];
    size_t il = strlen(indent);
    if (il + 3 > sizeof inner)
        il = sizeof inner - 3;
    memcpy(inner, "  ", 2);
    memcpy(inner + 2, indent, il);
    inner[il + 2] = '\0';
    put(p, "(\n");
    for (uint32_t i = 0; i < n; i++) {
        if (i > 0)
            gqlx_buf_putc(p->out, '\n');
        print_description(p, args[i].description, inner, i == 0);
        put(p, inner);
        print_input_value(p, &args[i]);
    }
    gqlx_buf_putc(p->out, '\n');
    put(p, indent);
    gqlx_buf_putc(p->out, ')');
}

static void print_interfaces(printer *p, const gqlx_type *t)
{
    for (uint32_t i = 0; i < t->interface_count; i++) {
        put(p, i == 0 ? " implements " : " & ");
        put_name(p, t->interfaces[i]->name);
    }
}

static void print_fields(printer *p, const gqlx_type *t)
{
    if (t->field_count == 0)
        return;
    put(p, " {\n");
    for (uint32_t i = 0; i < t->field_count; i++) {
        const gqlx_field_decl *f = &t->fields[i];
        if (i > 0)
            gqlx_buf_putc(p->out, '\n');
        print_description(p, f->description, "  ", i == 0);
        put(p, "  ");
        put_name(p, f->name);
        print_args(p, f->args, f->arg_count, "  ");
        put(p, ": ");
        gqlx_type_ref_print(p->out, f->type);
        print_deprecated(p, f->deprecation_reason);
    }
    put(p, "\n}");
}

static void print_type(printer *p, const gqlx_type *t)
{
    print_description(p, t->description, "", true);
    switch (t->kind) {
    case GQLX_TYPE_SCALAR:
        put(p, "scalar ");
        put_name(p, t->name);
        if (t->specified_by_url.ptr != NULL) {
            put(p, " @specifiedBy(url: ");
            gqlx_print_string(p->out, t->specified_by_url.ptr, t->specified_by_url.len);
            gqlx_buf_putc(p->out, ')');
        }
        break;
    case GQLX_TYPE_OBJECT:
    case GQLX_TYPE_INTERFACE:
        put(p, t->kind == GQLX_TYPE_OBJECT ? "type " : "interface ");
        put_name(p, t->name);
        print_interfaces(p, t);
        print_fields(p, t);
        break;
    case GQLX_TYPE_UNION:
        put(p, "union ");
        put_name(p, t->name);
        for (uint32_t i = 0; i < t->member_count; i++) {
            put(p, i == 0 ? " = " : " | ");
            put_name(p, t->members[i]->name);
        }
        break;
    case GQLX_TYPE_ENUM:
        put(p, "enum ");
        put_name(p, t->name);
        if (t->value_count == 0)
            break;
        put(p, " {\n");
        for (uint32_t i = 0; i < t->value_count; i++) {
            const gqlx_enum_value *v = &t->values[i];
            if (i > 0)
                gqlx_buf_putc(p->out, '\n');
            print_description(p, v->description, "  ", i == 0);
            put(p, "  ");
            put_name(p, v->name);
            print_deprecated(p, v->deprecation_reason);
        }
        put(p, "\n}");
        break;
    default:
        put(p, "input ");
        put_name(p, t->name);
        if (t->one_of)
            put(p, " @oneOf");
        if (t->input_field_count == 0)
            break;
        put(p, " {\n");
        for (uint32_t i = 0; i < t->input_field_count; i++) {
            if (i > 0)
                gqlx_buf_putc(p->out, '\n');
            print_description(p, t->input_fields[i].description, "  ", i == 0);
            put(p, "  ");
            print_input_value(p, &t->input_fields[i]);
        }
        put(p, "\n}");
        break;
    }
}

static void print_directive(printer *p, const gqlx_directive_decl *d)
{
    print_description(p, d->description, "", true);
    put(p, "directive @");
    put_name(p, d->name);
    print_args(p, d->args, d->arg_count, "");
    print_deprecated(p, d->deprecation_reason);
    if (d->repeatable)
        put(p, " repeatable");
    put(p, " on ");
    for (uint32_t i = 0; i < d->location_count; i++) {
        if (i > 0)
            put(p, " | ");
        put(p, gqlx_directive_location_name((gqlx_directive_location)d->location_list[i]));
    }
}

static bool is_specified_directive_name(const gqlx_name *n)
{
    static const char *const names[] = {"include", "skip", "deprecated", "specifiedBy", "oneOf"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(n->str, names[i]) == 0)
            return true;
    return false;
}

/* graphql-js compares each root with getType(<default name>); a missing
 * root equals a missing type. */
static bool default_root(const gqlx_schema *s, const gqlx_type *root, const char *name)
{
    return root == gqlx_schema_type(s, name, strlen(name));
}

static void print_schema_definition(printer *p, const gqlx_schema *s)
{
    if (s->query == NULL && s->mutation == NULL && s->subscription == NULL)
        return;
    if (s->description.ptr == NULL && default_root(s, s->query, "Query") &&
        default_root(s, s->mutation, "Mutation") &&
        default_root(s, s->subscription, "Subscription"))
        return;
    begin_block(p);
    print_description(p, s->description, "", true);
    put(p, "schema {\n");
    const gqlx_type *roots[3] = {s->query, s->mutation, s->subscription};
    static const char *const labels[3] = {"  query: ", "  mutation: ", "  subscription: "};
    for (int i = 0; i < 3; i++) {
        if (roots[i] == NULL)
            continue;
        put(p, labels[i]);
        put_name(p, roots[i]->name);
        gqlx_buf_putc(p->out, '\n');
    }
    gqlx_buf_putc(p->out, '}');
}

void gqlx_print_schema(gqlx_buf *out, const gqlx_schema *s, gqlx_arena *scratch)
{
    printer p = {out, scratch, {0}, true};
    gqlx_buf_init(&p.tmp, 0);
    print_schema_definition(&p, s);
    for (uint32_t i = 0; i < s->directive_count; i++) {
        if (is_specified_directive_name(s->directives[i]->name))
            continue;
        begin_block(&p);
        print_directive(&p, s->directives[i]);
    }
    for (uint32_t i = 0; i < s->type_count; i++) {
        /* Built-in types, or SDL definitions of their names, which mean
         * the built-ins. */
        if (s->types[i]->builtin)
            continue;
        begin_block(&p);
        print_type(&p, s->types[i]);
    }
    gqlx_buf_free(&p.tmp);
}

int gql_schema_print(const gql_schema *schema, char **text, size_t *len)
{
    if (text != NULL)
        *text = NULL;
    if (schema == NULL || text == NULL)
        return GQL_EINVAL;
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    gqlx_arena scratch;
    gqlx_arena_init(&scratch, 0, 0);
    gqlx_print_schema(&out, gqlx_schema_of(schema), &scratch);
    bool failed = out.failed || gqlx_arena_failed(&scratch) || !gqlx_buf_reserve(&out, 0);
    gqlx_arena_free(&scratch);
    if (failed) {
        gqlx_buf_free(&out);
        return GQL_ENOMEM;
    }
    *text = gqlx_buf_detach(&out, len);
    return GQL_OK;
}
