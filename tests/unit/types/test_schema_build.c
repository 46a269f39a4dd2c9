/* tests/unit/types/test_schema_build.c — building schemas from SDL
 * (build_schema.c) and reading them (schema.c): lookups, roots, extensions,
 * deprecation, possible types, type-map order, errors, memory failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "gql/gql.h"
#include "language/string_value.h"
#include "types/build_schema.h"

/* Builds sdl with the given validation setting; fails the test unless the
 * result is GQL_OK. */
static gql_schema *build(const char *sdl, int assume_valid)
{
    gql_schema_opts o;
    gql_schema_opts_init(&o);
    o.assume_valid = assume_valid;
    gql_schema *s = NULL;
    gql_errors *errs = NULL;
    int rc = gql_schema_build(&s, sdl, strlen(sdl), &o, &errs);
    if (rc != GQL_OK) {
        for (size_t i = 0; i < gql_errors_count(errs); i++)
            fprintf(stderr, "error: %s\n", gql_errors_message(errs, i));
    }
    assert_int_equal(rc, GQL_OK);
    assert_null(errs);
    assert_non_null(s);
    return s;
}

static const gqlx_type *type(const gql_schema *s, const char *name)
{
    return gqlx_schema_type(gqlx_schema_of(s), name, strlen(name));
}

static const char *ref_text(const gqlx_type_ref *r)
{
    static char text[128];
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_type_ref_print(&b, r);
    snprintf(text, sizeof text, "%s", b.data ? b.data : "");
    gqlx_buf_free(&b);
    return text;
}

static const char *slice_text(gqlx_slice s)
{
    static char text[512];
    if (s.ptr == NULL)
        return "(null)";
    snprintf(text, sizeof text, "%.*s", (int)s.len, s.ptr);
    return text;
}

static const char KITCHEN[] =
    "schema { query: Root mutation: Change }\n"
    "directive @tag(name: String!, weight: Float = 1.5) repeatable on OBJECT | FIELD_DEFINITION\n"
    "directive @old @deprecated(reason: \"use @tag\") on FIELD\n"
    "directive @later on OBJECT\n"
    "extend directive @later @deprecated\n"
    "interface Node { id: ID! }\n"
    "interface Named implements Node { id: ID! name: String }\n"
    "type Root implements Named & Node @tag(name: \"r\") {\n"
    "  id: ID!\n"
    "  name: String\n"
    "  list(first: Int = 10, after: String @deprecated): [[Item!]]!\n"
    "  old: Int @deprecated\n"
    "  older: Int @deprecated(reason: \"\"\"\n     Use `newer`.\n  \"\"\")\n"
    "}\n"
    "type Item implements Node { id: ID! }\n"
    "union Result = Item | Root\n"
    "extend union Result = Other\n"
    "type Other { x: Int }\n"
    "enum Color { RED GREEN @deprecated BLUE }\n"
    "extend enum Color { PURPLE }\n"
    "input Point { x: Int! y: Int = 0 }\n"
    "extend input Point { z: Int }\n"
    "input Pick @oneOf { a: Int b: String }\n"
    "scalar Date @specifiedBy(url: \"https://a\")\n"
    "scalar Json\n"
    "extend scalar Json @specifiedBy(url: \"https://b\")\n"
    "type Change { set(p: Point, pick: Pick, c: Color = RED): Result }\n"
    "extend type Item { extra: String }\n"
    "type Query { unused: Date json: Json }\n";

static void test_lookups(void **state)
{
    (void)state;
    gql_schema *s = build(KITCHEN, 0);
    const gqlx_schema *m = gqlx_schema_of(s);

    const gqlx_type *root = type(s, "Root");
    assert_non_null(root);
    assert_int_equal(root->kind, GQLX_TYPE_OBJECT);
    assert_ptr_equal(m->query, root);
    assert_ptr_equal(m->mutation, type(s, "Change"));
    assert_null(m->subscription);
    assert_ptr_equal(m->types[root->index], root);
    assert_string_equal(root->name->str, "Root");
    assert_ptr_equal(root->ref.named, root);
    assert_false(root->builtin);
    assert_non_null(root->ast);
    assert_int_equal(root->directives.count, 1);

    /* Fields, in SDL order, with owner and index. */
    assert_int_equal(root->field_count, 5);
    const gqlx_field_decl *list = gqlx_type_field(root, "list", 4);
    assert_non_null(list);
    assert_ptr_equal(list, &root->fields[2]);
    assert_ptr_equal(list->owner, root);
    assert_int_equal(list->index, 2);
    assert_string_equal(ref_text(list->type), "[[Item!]]!");
    assert_int_equal(list->arg_count, 2);
    const gqlx_input_value *first = gqlx_field_arg(list, "first", 5);
    assert_non_null(first);
    assert_string_equal(ref_text(first->type), "Int");
    assert_non_null(first->default_value);
    assert_int_equal(first->default_value->kind, GQLX_KIND_INT_VALUE);
    assert_null(first->deprecation_reason.ptr);
    assert_string_equal(slice_text(gqlx_field_arg(list, "after", 5)->deprecation_reason),
                        "No longer supported");
    assert_null(gqlx_field_arg(list, "last", 4));
    assert_null(gqlx_type_field(root, "nope", 4));
    assert_null(gqlx_type_field(root, "__typename", 10));
    assert_string_equal(slice_text(gqlx_type_field(root, "old", 3)->deprecation_reason),
                        "No longer supported");
    assert_string_equal(slice_text(gqlx_type_field(root, "older", 5)->deprecation_reason),
                        "Use `newer`.");
    assert_null(gqlx_type_field(root, "id", 2)->deprecation_reason.ptr);

    /* Extensions are applied: enum values, input fields, union members,
     * object fields. */
    const gqlx_type *color = type(s, "Color");
    assert_int_equal(color->value_count, 4);
    assert_ptr_equal(gqlx_type_enum_value(color, "PURPLE", 6), &color->values[3]);
    assert_string_equal(slice_text(gqlx_type_enum_value(color, "GREEN", 5)->deprecation_reason),
                        "No longer supported");
    assert_null(gqlx_type_enum_value(color, "BLACK", 5));
    assert_null(gqlx_type_field(color, "RED", 3));
    const gqlx_type *point = type(s, "Point");
    assert_int_equal(point->input_field_count, 3);
    assert_non_null(gqlx_type_input_field(point, "z", 1));
    assert_false(point->one_of);
    assert_true(type(s, "Pick")->one_of);
    assert_int_equal(type(s, "Item")->field_count, 2);
    assert_int_equal(type(s, "Item")->extension_count, 1);
    const gqlx_type *result = type(s, "Result");
    assert_int_equal(result->member_count, 3);
    assert_ptr_equal(result->members[2], type(s, "Other"));

    /* @specifiedBy, on a definition or an extension. */
    assert_string_equal(slice_text(type(s, "Date")->specified_by_url), "https://a");
    assert_string_equal(slice_text(type(s, "Json")->specified_by_url), "https://b");
    assert_null(type(s, "String")->specified_by_url.ptr);

    /* Directives: the SDL's first, then the specified ones. */
    assert_int_equal(m->directive_count, 8);
    assert_string_equal(m->directives[0]->name->str, "tag");
    assert_string_equal(m->directives[3]->name->str, "include");
    assert_string_equal(m->directives[7]->name->str, "oneOf");
    const gqlx_directive_decl *tag = gqlx_schema_directive(m, "tag", 3);
    assert_non_null(tag);
    assert_true(tag->repeatable);
    assert_false(tag->builtin);
    assert_int_equal(tag->locations, (1u << GQLX_LOC_OBJECT) | (1u << GQLX_LOC_FIELD_DEFINITION));
    assert_int_equal(tag->location_count, 2);
    assert_int_equal(tag->location_list[0], GQLX_LOC_OBJECT);
    assert_int_equal(gqlx_name_index_find(&tag->arg_index, "weight", 6), 1);
    assert_string_equal(slice_text(gqlx_schema_directive(m, "old", 3)->deprecation_reason),
                        "use @tag");
    assert_string_equal(slice_text(gqlx_schema_directive(m, "later", 5)->deprecation_reason),
                        "No longer supported");
    const gqlx_directive_decl *dep = gqlx_schema_directive(m, "deprecated", 10);
    assert_non_null(dep);
    assert_true(dep->builtin);
    assert_null(dep->ast);
    assert_int_equal(dep->arg_count, 1);
    assert_string_equal(ref_text(dep->args[0].type), "String!");
    assert_null(gqlx_schema_directive(m, "defer", 5));

    /* Built-in types: used scalars and the introspection types. */
    const gqlx_type *str = type(s, "String");
    assert_non_null(str);
    assert_true(str->builtin);
    assert_int_equal(str->scalar, GQLX_SCALAR_STRING);
    assert_int_equal(type(s, "ID")->scalar, GQLX_SCALAR_ID);
    assert_int_equal(type(s, "Date")->scalar, GQLX_SCALAR_CUSTOM);
    assert_non_null(type(s, "__Schema"));
    assert_non_null(type(s, "__DirectiveLocation"));
    assert_int_equal(type(s, "__Type")->field_count, 11);
    assert_null(type(s, "Nope"));

    gql_schema_free(s);
}

static void test_possible_types(void **state)
{
    (void)state;
    gql_schema *s = build(KITCHEN, 0);
    const gqlx_schema *m = gqlx_schema_of(s);
    const gqlx_type *node = type(s, "Node"), *named = type(s, "Named");
    const gqlx_type *root = type(s, "Root"), *item = type(s, "Item");
    const gqlx_type *result = type(s, "Result"), *other = type(s, "Other");

    /* Objects implementing Node in type-map order: Root before Item. */
    assert_int_equal(node->possible_count, 2);
    assert_ptr_equal(node->possible[0], root);
    assert_ptr_equal(node->possible[1], item);
    assert_int_equal(node->implementing_interface_count, 1);
    assert_ptr_equal(node->implementing_interfaces[0], named);
    assert_int_equal(named->possible_count, 1);
    assert_int_equal(result->possible_count, 3);

    assert_true(gqlx_schema_is_possible_type(m, node, root));
    assert_true(gqlx_schema_is_possible_type(m, node, item));
    assert_true(gqlx_schema_is_possible_type(m, node, named));
    assert_false(gqlx_schema_is_possible_type(m, named, item));
    assert_true(gqlx_schema_is_possible_type(m, result, other));
    assert_false(gqlx_schema_is_possible_type(m, result, named));
    assert_false(gqlx_schema_is_possible_type(m, root, item)); /* not abstract */

    /* isTypeSubTypeOf through wrappers. */
    const gqlx_field_decl *list = gqlx_type_field(root, "list", 4); /* [[Item!]]! */
    const gqlx_type_ref *item_nn = list->type->of->of->of;           /* Item! */
    assert_string_equal(ref_text(item_nn), "Item!");
    assert_true(gqlx_schema_is_subtype(m, item_nn, &node->ref));
    assert_true(gqlx_schema_is_subtype(m, item_nn, &item->ref));
    assert_false(gqlx_schema_is_subtype(m, &item->ref, item_nn));
    assert_false(gqlx_schema_is_subtype(m, list->type, &node->ref));
    assert_true(gqlx_schema_is_subtype(m, list->type, list->type->of));
    assert_true(gqlx_type_ref_equal(list->type, list->type));
    assert_false(gqlx_type_ref_equal(list->type, list->type->of));

    assert_true(gqlx_type_ref_is_input(&type(s, "Point")->ref));
    assert_false(gqlx_type_ref_is_output(&type(s, "Point")->ref));
    assert_true(gqlx_type_ref_is_output(list->type));
    assert_false(gqlx_type_ref_is_input(list->type));
    assert_true(gqlx_type_ref_is_non_null(list->type));
    assert_true(gqlx_type_is_abstract(result));
    assert_true(gqlx_type_is_composite(root));
    assert_true(gqlx_type_is_leaf(type(s, "Color")));
    gql_schema_free(s);
}

/* The type map as graphql-js 17 orders it (checked with
 * Object.keys(buildSchema(sdl).getTypeMap())). */
static void test_type_map_order(void **state)
{
    (void)state;
    gql_schema *s = build("type Query { a: Int b(x: Float): Thing }\n"
                          "type Thing { id: ID s: String }\n"
                          "directive @d(v: [Boolean]) on FIELD\n",
                          0);
    static const char *const expected[] = {
        "Query",         "Int",         "Float",        "Thing",     "ID",
        "String",        "Boolean",     "__Schema",     "__Type",    "__TypeKind",
        "__Field",       "__InputValue", "__EnumValue", "__Directive", "__DirectiveLocation"};
    size_t n = sizeof expected / sizeof expected[0];
    assert_int_equal(gql_schema_type_count(s), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(gql_schema_type_name(s, i), expected[i]);
    assert_null(gql_schema_type_name(s, n));
    assert_int_equal(gql_schema_type_count(NULL), 0);
    assert_null(gql_schema_type_name(NULL, 0));
    gql_schema_free(s);
}

static void test_roots(void **state)
{
    (void)state;
    /* No schema definition: the default names. */
    gql_schema *s = build("type Query { a: Int } type Mutation { b: Int }", 0);
    assert_ptr_equal(gqlx_schema_of(s)->query, type(s, "Query"));
    assert_ptr_equal(gqlx_schema_of(s)->mutation, type(s, "Mutation"));
    assert_null(gqlx_schema_of(s)->subscription);
    gql_schema_free(s);

    /* Only `extend schema`: its roots count. */
    s = build("extend schema { query: Root } type Root { a: Int }", 0);
    assert_ptr_equal(gqlx_schema_of(s)->query, type(s, "Root"));
    assert_int_equal(gqlx_schema_of(s)->extension_count, 1);
    assert_null(gqlx_schema_of(s)->ast);
    gql_schema_free(s);

    /* A schema definition with a description, extended. */
    s = build("\"The schema.\" schema { query: Q } extend schema { subscription: S }\n"
              "type Q { a: Int } type S { b: Int } type Query { c: Int }",
              0);
    const gqlx_schema *m = gqlx_schema_of(s);
    assert_ptr_equal(m->query, type(s, "Q"));
    assert_ptr_equal(m->subscription, type(s, "S"));
    assert_string_equal(slice_text(m->description), "The schema.");
    assert_non_null(m->ast);
    gql_schema_free(s);

    /* No roots at all: schema validation requires a query root type, but
     * the model can hold it. */
    s = build("type A { a: Int }", 1);
    assert_null(gqlx_schema_of(s)->query);
    gql_schema_free(s);
}

/* With assume_valid, repeated names behave as graphql-js's objects: the
 * first position, the last content. */
static void test_assume_valid_duplicates(void **state)
{
    (void)state;
    gql_schema *s = build("type Query { a: Int b: String a: [Int] }\n"
                          "type T { x: Int }\n"
                          "enum T { ONE }\n"
                          "type U { f(x: Int, x: String): Int }\n"
                          "scalar D @specifiedBy(url: \"a\")\n"
                          "extend scalar D @specifiedBy(url: \"b\")\n",
                          1);
    assert_string_equal(slice_text(type(s, "D")->specified_by_url), "b"); /* the last wins */
    const gqlx_type *q = type(s, "Query");
    assert_int_equal(q->field_count, 2);
    assert_string_equal(q->fields[0].name->str, "a");
    assert_string_equal(ref_text(q->fields[0].type), "[Int]");
    assert_int_equal(type(s, "T")->kind, GQLX_TYPE_ENUM);
    const gqlx_field_decl *f = gqlx_type_field(type(s, "U"), "f", 1);
    assert_int_equal(f->arg_count, 1);
    assert_string_equal(ref_text(f->args[0].type), "String");
    gql_schema_free(s);

    /* The same SDL fails validation. */
    gql_schema_opts o;
    gql_schema_opts_init(&o);
    gql_errors *errs = NULL;
    const char *sdl = "type Query { a: Int a: Int }";
    assert_int_equal(gql_schema_build(&s, sdl, strlen(sdl), &o, &errs), GQL_ESCHEMA);
    assert_null(s);
    assert_true(gql_errors_count(errs) > 0);
    gql_errors_free(errs);
}

/* Checks one error list: count, first message and first location. */
static void expect_error(const char *sdl, int assume_valid, int rc, const char *message,
                         unsigned line, unsigned column)
{
    gql_schema_opts o;
    gql_schema_opts_init(&o);
    o.assume_valid = assume_valid;
    gql_schema *s = (gql_schema *)&o; /* must be reset to NULL */
    gql_errors *errs = NULL;
    assert_int_equal(gql_schema_build(&s, sdl, strlen(sdl), &o, &errs), rc);
    assert_null(s);
    assert_non_null(errs);
    assert_string_equal(gql_errors_message(errs, 0), message);
    const gql_location *locs;
    assert_int_equal(gql_errors_locations(errs, 0, &locs), 1);
    assert_int_equal(locs[0].line, line);
    assert_int_equal(locs[0].column, column);
    gql_errors_free(errs);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("type Query {\n  a: \n}", 0, GQL_ESYNTAX,
                 "Syntax Error: Expected Name, found \"}\".", 3, 1);
    /* Things the model cannot hold fail even with assume_valid. */
    expect_error("type Query {\n  a: [Missing!]\n}", 1, GQL_ESCHEMA, "Unknown type: \"Missing\".",
                 2, 7);
    expect_error("union U = A\n", 1, GQL_ESCHEMA, "Unknown type: \"A\".", 1, 11);
    expect_error("schema { query: Nope }", 1, GQL_ESCHEMA, "Unknown type: \"Nope\".", 1, 17);
    expect_error("type Q { a: Int @deprecated(reason: null) }", 1, GQL_ESCHEMA,
                 "Argument \"@deprecated(reason:)\" has invalid value: Expected value of "
                 "non-null type \"String!\" not to be null.",
                 1, 17);
    expect_error("scalar S @specifiedBy", 1, GQL_ESCHEMA,
                 "Argument \"@specifiedBy(url:)\" of required type \"String!\" was not provided.",
                 1, 10);

    /* Invalid arguments. */
    gql_schema *s = NULL;
    gql_errors *errs = (gql_errors *)&s;
    assert_int_equal(gql_schema_build(NULL, "", 0, NULL, &errs), GQL_EINVAL);
    assert_null(errs);
    assert_int_equal(gql_schema_build(&s, NULL, 3, NULL, NULL), GQL_EINVAL);
    /* errs may be NULL; an empty document is a syntax error. */
    assert_int_equal(gql_schema_build(&s, "type Query {", 12, NULL, NULL), GQL_ESYNTAX);
    assert_int_equal(gql_schema_build(&s, NULL, 0, NULL, NULL), GQL_ESYNTAX);
    assert_int_equal(gql_schema_build(&s, "type Query { a: Int }", 21, NULL, NULL), GQL_OK);
    /* Query Int Boolean String and the 8 introspection types. */
    assert_int_equal(gql_schema_type_count(s), 12);
    gql_schema_free(s);
    gql_schema_free(NULL);
}

/* Descriptions: the builder's own block-string decoding must agree with
 * the general decoder (string_value.c) on every layout. */
static void test_descriptions(void **state)
{
    (void)state;
    static const char *const raws[] = {
        "",
        "   ",
        "one line",
        "   leading spaces kept on the first line",
        "\n  Indented.\n  ",
        "\n    Two\n    lines\n  ",
        "\n    Deeper\n      and deeper\n    back\n",
        "first line\n    second line\n      third",
        "\n\n  \n  After blank lines\n\n  \n",
        "\n  a\n\n  b\n",
        "\n  a\n      \n  b\n",
        "\n\ta\n\t\tb\n",
        "  \n  only whitespace above\n",
        "crlf\r\n  line",
        "escaped \\\"\"\" quotes",
        "\n  Ends with a quote\"\n",
        "\n  back\\slash\n",
    };
    size_t n = sizeof raws / sizeof raws[0];
    gqlx_buf sdl;
    gqlx_buf_init(&sdl, 0);
    for (size_t i = 0; i < n; i++)
        gqlx_buf_printf(&sdl, "\"\"\"%s\"\"\"\nscalar S%zu\n", raws[i], i);
    gqlx_buf_append_cstr(&sdl, "type Query { a: Int }\n");
    gql_schema *s = build(sdl.data, 0);
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    for (size_t i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "S%zu", i);
        const gqlx_type *t = type(s, name);
        assert_non_null(t);
        const gqlx_string_value *sv = GQLX_AS_CONST(gqlx_scalar_type_def, t->ast)->description;
        gqlx_slice want;
        assert_true(gqlx_string_value_get(&a, sv, &want));
        assert_non_null(t->description.ptr);
        if (!gqlx_slice_eq(t->description, want))
            fail_msg("description %zu: got [%s]", i, slice_text(t->description));
    }
    gqlx_arena_free(&a);
    gqlx_buf_free(&sdl);
    gql_schema_free(s);

    s = build("\"quoted \\u00e9\" type Query { \"\" a: Int b: Int }", 0);
    assert_string_equal(slice_text(type(s, "Query")->description), "quoted \xc3\xa9");
    assert_non_null(type(s, "Query")->fields[0].description.ptr);
    assert_int_equal(type(s, "Query")->fields[0].description.len, 0);
    assert_null(type(s, "Query")->fields[1].description.ptr);
    gql_schema_free(s);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(gqlx_type_kind_name(GQLX_TYPE_INPUT_OBJECT), "INPUT_OBJECT");
    assert_null(gqlx_type_kind_name((gqlx_type_kind)99));
    assert_string_equal(gqlx_directive_location_name(GQLX_LOC_FIELD_DEFINITION),
                        "FIELD_DEFINITION");
    assert_null(gqlx_directive_location_name(GQLX_LOC_COUNT));
    assert_int_equal(gqlx_directive_location_parse(gqlx_slice_cstr("ENUM_VALUE")),
                     GQLX_LOC_ENUM_VALUE);
    assert_int_equal(gqlx_directive_location_parse(gqlx_slice_cstr("ENUM_")), -1);
}

/* Every allocation failure gives GQL_ENOMEM and leaks nothing (ASan's
 * leak checker watches the sanitizer build). */
static void test_fault_injection(void **state)
{
    (void)state;
    size_t len = strlen(KITCHEN);
    for (long n = 0;; n++) {
        gqlx_fault_set(n);
        gql_schema *s = NULL;
        gql_errors *errs = NULL;
        int rc = gql_schema_build(&s, KITCHEN, len, NULL, &errs);
        bool injected = gqlx_fault_triggered() != 0;
        gqlx_fault_reset();
        if (rc == GQL_OK) {
            /* Printing under the same torture. */
            for (long p = 0;; p++) {
                gqlx_fault_set(p);
                char *text = NULL;
                int prc = gql_schema_print(s, &text, NULL);
                bool pinjected = gqlx_fault_triggered() != 0;
                gqlx_fault_reset();
                if (prc == GQL_OK) {
                    assert_false(pinjected);
                    gql_free(text);
                    break;
                }
                assert_int_equal(prc, GQL_ENOMEM);
                assert_null(text);
            }
            gql_schema_free(s);
            assert_false(injected);
            break;
        }
        assert_true(injected);
        assert_int_equal(rc, GQL_ENOMEM);
        assert_null(s);
        assert_null(errs);
    }
    /* The same with an invalid schema: errors or ENOMEM, never a crash. */
    const char *bad = "type Query { a: Missing b: Int b: Int }";
    for (long n = 0;; n++) {
        gqlx_fault_set(n);
        gql_schema *s = NULL;
        gql_errors *errs = NULL;
        int rc = gql_schema_build(&s, bad, strlen(bad), NULL, &errs);
        bool injected = gqlx_fault_triggered() != 0;
        gqlx_fault_reset();
        assert_null(s);
        gql_errors_free(errs);
        if (!injected) {
            assert_int_equal(rc, GQL_ESCHEMA);
            break;
        }
        assert_true(rc == GQL_ENOMEM || rc == GQL_ESCHEMA);
    }
}

static void test_memory_cap(void **state)
{
    (void)state;
    gql_schema_opts o;
    gql_schema_opts_init(&o);
    o.max_bytes = 4096;
    gql_schema *s = NULL;
    assert_int_equal(gql_schema_build(&s, KITCHEN, strlen(KITCHEN), &o, NULL), GQL_ENOMEM);
    assert_null(s);
    o.max_bytes = 0; /* no cap */
    assert_int_equal(gql_schema_build(&s, KITCHEN, strlen(KITCHEN), &o, NULL), GQL_OK);
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_possible_types),
        cmocka_unit_test(test_type_map_order),
        cmocka_unit_test(test_roots),
        cmocka_unit_test(test_assume_valid_duplicates),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_descriptions),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_fault_injection),
        cmocka_unit_test(test_memory_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
