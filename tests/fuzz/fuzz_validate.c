/* tests/fuzz/fuzz_validate.c — libFuzzer target for document validation
 * (src/validation/).
 *
 * The schema (a copy of tests/data/validation/schema.graphql) is built once.
 * Each input is parsed as a document with small limits (20,000 tokens,
 * depth 64); when it parses, it is validated with every rule, once with the
 * defaults and once with an error limit of 3 and introspection disabled.
 * Validation must end cleanly: the reported count equals the list's length,
 * at most max_errors + 1 errors, every location inside the input, no crash
 * and no leak (ASan), and bounded time. Any violation calls abort() so
 * libFuzzer keeps the input. The scratch arena is capped at 64 MiB; running
 * into the cap is a normal outcome, not a finding. Also linked with
 * tests/fuzz/replay_main.c to replay tests/fuzz/corpus/validate/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "language/parser.h"
#include "types/build_schema.h"
#include "validation/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema_sdl[] =
    "interface Mammal {\n"
    "  mother: Mammal\n"
    "  father: Mammal\n"
    "}\n"
    "interface Being {\n"
    "  name(surname: Boolean): String\n"
    "}\n"
    "interface Pet implements Being {\n"
    "  name(surname: Boolean): String\n"
    "}\n"
    "interface Canine implements Mammal {\n"
    "  name(surname: Boolean): String\n"
    "  mother: Canine\n"
    "  father: Canine\n"
    "}\n"
    "enum DogCommand {\n"
    "  SIT\n"
    "  HEEL\n"
    "  DOWN\n"
    "}\n"
    "type Dog implements Being & Pet & Mammal & Canine {\n"
    "  name(surname: Boolean): String\n"
    "  nickname: String\n"
    "  barkVolume: Int\n"
    "  barks: Boolean\n"
    "  doesKnowCommand(dogCommand: DogCommand): Boolean\n"
    "  isHouseTrained(atOtherHomes: Boolean = true): Boolean\n"
    "  isAtLocation(x: Int, y: Int): Boolean\n"
    "  mother: Dog\n"
    "  father: Dog\n"
    "  tricks: [String!]\n"
    "}\n"
    "type Cat implements Being & Pet {\n"
    "  name(surname: Boolean): String\n"
    "  nickname: String\n"
    "  meows: Boolean\n"
    "  meowsVolume: Int\n"
    "  furColor: FurColor\n"
    "}\n"
    "union CatOrDog = Cat | Dog\n"
    "type Human implements Being & Intelligent {\n"
    "  name(surname: Boolean): String\n"
    "  pets: [Pet]\n"
    "  relatives: [Human!]!\n"
    "  iq: Int\n"
    "}\n"
    "type Alien implements Being & Intelligent {\n"
    "  name(surname: Boolean): String\n"
    "  numEyes: Int\n"
    "  iq: Int\n"
    "}\n"
    "interface Intelligent {\n"
    "  iq: Int\n"
    "}\n"
    "union DogOrHuman = Dog | Human\n"
    "union HumanOrAlien = Human | Alien\n"
    "enum FurColor {\n"
    "  BROWN\n"
    "  BLACK\n"
    "  TAN\n"
    "  SPOTTED\n"
    "  NO_FUR\n"
    "  UNKNOWN\n"
    "}\n"
    "input ComplexInput {\n"
    "  requiredField: Boolean!\n"
    "  nonNullField: Boolean! = false\n"
    "  intField: Int\n"
    "  stringField: String\n"
    "  booleanField: Boolean\n"
    "  stringListField: [String]\n"
    "}\n"
    "input OneOfInput @oneOf {\n"
    "  stringField: String\n"
    "  intField: Int\n"
    "}\n"
    "scalar JSON\n"
    "type ComplicatedArgs {\n"
    "  intArgField(intArg: Int): String\n"
    "  nonNullIntArgField(nonNullIntArg: Int!): String\n"
    "  stringArgField(stringArg: String): String\n"
    "  booleanArgField(booleanArg: Boolean): String\n"
    "  enumArgField(enumArg: FurColor): String\n"
    "  floatArgField(floatArg: Float): String\n"
    "  idArgField(idArg: ID): String\n"
    "  stringListArgField(stringListArg: [String]): String\n"
    "  stringListNonNullArgField(stringListNonNullArg: [String!]): String\n"
    "  complexArgField(complexArg: ComplexInput): String\n"
    "  oneOfArgField(oneOfArg: OneOfInput): String\n"
    "  jsonArgField(jsonArg: JSON): String\n"
    "  multipleReqs(req1: Int!, req2: Int!): String\n"
    "  nonNullFieldWithDefault(arg: Int! = 0): String\n"
    "  multipleOpts(opt1: Int = 0, opt2: Int = 0): String\n"
    "  multipleOptAndReq(req1: Int!, req2: Int!, opt1: Int = 0, opt2: Int = 0): String\n"
    "}\n"
    "type QueryRoot {\n"
    "  human(id: ID): Human\n"
    "  alien: Alien\n"
    "  dog: Dog\n"
    "  cat: Cat\n"
    "  pet: Pet\n"
    "  catOrDog: CatOrDog\n"
    "  dogOrHuman: DogOrHuman\n"
    "  humanOrAlien: HumanOrAlien\n"
    "  complicatedArgs: ComplicatedArgs\n"
    "  being: Being\n"
    "  mammal: Mammal\n"
    "}\n"
    "type MutationRoot {\n"
    "  addPet(name: String!, kind: DogCommand): Pet\n"
    "  renameDog(id: ID!, name: String): Dog\n"
    "}\n"
    "type SubscriptionRoot {\n"
    "  newDog: Dog\n"
    "  newCat: Cat\n"
    "  catOrDog: CatOrDog\n"
    "  importantEmails: [String]\n"
    "  notImportantEmails: [String]\n"
    "}\n"
    "schema {\n"
    "  query: QueryRoot\n"
    "  mutation: MutationRoot\n"
    "  subscription: SubscriptionRoot\n"
    "}\n"
    "directive @onQuery on QUERY\n"
    "directive @onMutation on MUTATION\n"
    "directive @onSubscription on SUBSCRIPTION\n"
    "directive @onField on FIELD\n"
    "directive @onFragmentDefinition on FRAGMENT_DEFINITION\n"
    "directive @onFragmentSpread on FRAGMENT_SPREAD\n"
    "directive @onInlineFragment on INLINE_FRAGMENT\n"
    "directive @onVariableDefinition on VARIABLE_DEFINITION\n"
    "directive @repeatable repeatable on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT\n"
    "directive @withArgs(required: String!, optional: Int = 1, list: [String]) on FIELD | QUERY\n";

static gqlx_schema *the_schema(void)
{
    static gqlx_schema *schema;
    if (schema == NULL) {
        gqlx_build_opts opts;
        memset(&opts, 0, sizeof opts);
        gqlx_parse_opts_init(&opts.parse);
        if (gqlx_schema_build(&schema, schema_sdl, sizeof schema_sdl - 1, "schema", &opts,
                              NULL) != GQL_OK)
            abort();
    }
    return schema;
}

static void check(const gqlx_schema *schema, const gqlx_document *doc, const gqlx_source *src,
                  const gqlx_validate_opts *opts)
{
    gqlx_arena scratch;
    gqlx_arena_init(&scratch, 0, 64u << 20);
    gql_errors *errs = gqlx_errors_new();
    if (errs == NULL)
        abort();
    size_t n = gqlx_validate(schema, doc, src, opts, &scratch, errs);
    size_t max = opts ? opts->max_errors : 100;
    if (!gqlx_arena_failed(&scratch)) {
        if (n != errs->count || n > max + 1)
            abort();
        /* Locations lie inside the text (lines from 1; a generous column
         * bound since columns count UTF-16 units). */
        for (size_t i = 0; i < errs->count; i++)
            for (size_t j = 0; j < errs->items[i].location_count; j++)
                if (errs->items[i].locations[j].line == 0 ||
                    errs->items[i].locations[j].line > src->len + 1 ||
                    errs->items[i].locations[j].column == 0 ||
                    errs->items[i].locations[j].column > src->len + 1)
                    abort();
    }
    gql_errors_free(errs);
    gqlx_arena_free(&scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const gqlx_schema *schema = the_schema();
    gqlx_arena arena;
    gqlx_arena_init(&arena, 0, 64u << 20);
    gqlx_source src = gqlx_source_make("fuzz", (const char *)data, size);
    gqlx_parse_opts po;
    gqlx_parse_opts_init(&po);
    po.max_tokens = 20000;
    po.max_depth = 64;
    gqlx_document *doc = gqlx_parse(&arena, &src, &po, NULL);
    if (doc != NULL) {
        check(schema, doc, &src, NULL);
        gqlx_validate_opts opts;
        gqlx_validate_opts_init(&opts);
        opts.max_errors = 3;
        opts.disable_introspection = true;
        check(schema, doc, &src, &opts);
    }
    gqlx_arena_free(&arena);
    return 0;
}
