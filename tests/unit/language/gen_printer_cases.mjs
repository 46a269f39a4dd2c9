// tests/unit/language/gen_printer_cases.mjs — expected printer output from graphql-js.
//
// Rewrites the generated tables (between the "BEGIN GENERATED" and
// "END GENERATED" markers) of test_printer.c and test_print_string.c with
// what graphql-js's print(), printString(), printBlockString() and
// isPrintableAsBlockString() return for the inputs listed here. Run from
// the repository root after changing an input:
//     node tests/unit/language/gen_printer_cases.mjs
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const graphql = require('graphql');
const { printBlockString, isPrintableAsBlockString } = require('graphql/language/blockString');
const { printString } = require('graphql/language/printString');

const here = new URL('.', import.meta.url).pathname;

// A C string literal for a JavaScript string (as UTF-8). Octal escapes
// always take three digits, so a following digit cannot extend them.
function cstr(s) {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x3f) out += '\\?';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += '\\' + byte.toString(8).padStart(3, '0');
  }
  return out + '"';
}

// Long C literals are split at line breaks of the text for readability.
function cstrLines(s, indent) {
  const parts = s.split(/(?<=\n)/);
  if (parts.length === 1) return cstr(s);
  return parts.map(cstr).join('\n' + indent);
}

function replaceGenerated(file, body) {
  const path = here + file;
  const text = fs.readFileSync(path, 'utf8');
  const begin = text.indexOf('/* BEGIN GENERATED');
  const beginEnd = text.indexOf('*/', begin) + 2;
  const end = text.indexOf('/* END GENERATED */');
  if (begin < 0 || end < 0) throw new Error(`markers missing in ${file}`);
  fs.writeFileSync(path, text.slice(0, beginEnd) + '\n' + body + text.slice(end));
}

// ---- test_print_string.c ------------------------------------------------

const control = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');
const stringInputs = [
  '', 'abc', 'quote " here', 'back \\ slash', '/', control, '\u007f', '\u0080',
  '\u0085', '\u009f', '\u00a0', 'é', '\u2028\u2029', '😀', '\ufeff', 'a\u0000b',
  'line\nbreak\r\ttab', '"\\"\\', 'mixed é\u0081😀\u0019 end', "'single'",
];

const blockInputs = [
  '', 'a', ' a', '\ta', 'a ', 'a\nb', '\na', 'a\n', '  a\n  b', 'a\n b', 'a\n\n b',
  'a\n \n b', 'a"', 'a\\', '"', '\\', '"""', 'a"""', 'a""""', '"""""', '""""""',
  '"""a', 'a """ b """ c', 'x'.repeat(70), 'x'.repeat(71), 'é'.repeat(71),
  '😀'.repeat(35), '😀'.repeat(36), 'a\r\nb', 'a\rb', 'a\r\n b', 'a\r b', '\r', '\n',
  ' \n ', 'a\n\nb', '\n\n', 'a\tb\u0001', 'first\n  second\n    third',
  '  lead\nnext', 'ends with space ', 'a\n"', 'a\n\\',
];

const printableInputs = [
  '', 'a', ' ', '\t', '\n', 'a\n', '\na', ' a', 'a\nb', ' a\n b', 'a\n b', ' a\nb',
  '  a\n\n  b', 'a\n\nb', 'a\n  \nb', 'a\r', 'a\r\nb', '\u0000', '\u0008', '\u000b',
  '\u000c', '\u000e', '\u000f', '\u0010', '\u001f', 'a\tb', 'é😀', 'a\n\n', ' \n a',
  'a\n ', 'x\n\ty', '\t\ta\n\t\tb', '"""', 'a\\',
];

{
  let body = 'static const struct string_case string_cases[] = {\n';
  for (const s of stringInputs) body += `    {S(${cstr(s)}), S(${cstr(printString(s))})},\n`;
  body += '};\n\nstatic const struct block_case block_cases[] = {\n';
  for (const s of blockInputs) {
    body += `    {S(${cstr(s)}),\n     S(${cstr(printBlockString(s))}),\n` +
            `     S(${cstr(printBlockString(s, { minimize: true }))})},\n`;
  }
  body += '};\n\nstatic const struct printable_case printable_cases[] = {\n';
  for (const s of printableInputs) {
    body += `    {S(${cstr(s)}), ${isPrintableAsBlockString(s) ? 'true' : 'false'}},\n`;
  }
  body += '};\n';
  replaceGenerated('test_print_string.c', body);
}

// ---- test_printer.c -------------------------------------------------------

const long = 'aVeryLongArgumentValueThatTakesUpSpace';
const documents = [
  // operations
  '{ a }',
  'query { a }',
  'query Q { a b }',
  'query ($a: Int) { a }',
  'query @live { a }',
  'mutation { like(id: 1) { count } }',
  'subscription OnEvent { event { id } }',
  'query Q($a: Int = 1, $b: [String!]! = ["x", "y"], $c: In = {a: 1} @d) @op(x: $a) { a }',
  '{ alias: field(arg: 1, other: "two") @skip(if: true) @include(if: $v) }',
  '{ a { b { c { d { e } } } } }',
  '{ ...Frag @d ... on T { a } ... @include(if: true) { b } ... { c } }',
  'fragment F on T @d(a: 1) { a ...G }',
  'query { a } fragment F on T { b } mutation M { c }',
  '# leading comment\n{ a, b,, c # trailing\n }',
  '{ a {} }',
  '{}',
  // descriptions on executable definitions (graphql-js 17)
  '"op" query Q { a }',
  '"""\nBlock\n  description\n""" query { a }',
  '"frag" fragment F on T { a }',
  'query Q("var" $a: Int, $b: Int) { a }',
  'query Q("""multi\nline""" $a: Int = 1 @d) { a }',
  '"d" mutation { a }',
  // values
  '{ f(i: 0, n: -12, f: 1.5e10, g: -0.0, s: "str", t: true, u: false, n2: null, e: ENUM, v: $var) }',
  '{ f(l: [], o: {}, lo: [1, [2, [3]]], oo: {a: {b: {c: 1}}}, mixed: [{a: [1]}, {}]) }',
  '{ f(s: "esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0001 \\u007F \\u0085 \\u00E9 \\u{1F600} \\uD83D\\uDE00") }',
  '{ f(s: "raw é 😀 \u2028 tab:\t.") }',
  '{ f(b: """block""", c: """  indented first\n  second""", d: """line\n\n\nafter blanks""") }',
  '{ a { b { f(b: """\n      x\n        y\n      z\n    """) } } }',
  '{ f(b: """has \\""" triple""", c: """a "quoted" word""") }',
  // line-length decisions (80 columns)
  // f(a: "…") is 80 wide with 72 units of string: it stays on one line;
  // one unit more and the argument goes on its own line.
  `{ f(a: "${'x'.repeat(72)}") }`,
  `{ f(a: "${'x'.repeat(73)}") }`,
  `{ al: f(a: "${'x'.repeat(68)}") }`,
  `{ al: f(a: "${'x'.repeat(69)}") }`,
  `{ f(a: "${'é'.repeat(72)}") }`,
  `{ f(a: "${'é'.repeat(73)}") }`,
  `{ f(a: "${'😀'.repeat(36)}") }`,
  `{ f(a: "${'😀'.repeat(36)}x") }`,
  `{ f(a: "${'\\u{1F600}'.repeat(36)}x") }`,
  `{ f(a: "${'\\n'.repeat(36)}") }`,
  `{ f(a: "${'\\n'.repeat(36)}x") }`,
  `{ f(a: "${'\\u0001'.repeat(12)}") }`,
  `{ f(a: "${'\\u0001'.repeat(12)}x") }`,
  `{ f(a: "${'\\u0085'.repeat(12)}x") }`,
  `{ f(a: "${'\\u00e9'.repeat(73)}") }`,
  // a list or object value breaks when its own one-line form passes 80
  `{ f(a: ["${'x'.repeat(76)}"]) }`,
  `{ f(a: ["${'x'.repeat(77)}"]) }`,
  `{ f(a: {a: "${'x'.repeat(71)}"}) }`,
  `{ f(a: {a: "${'x'.repeat(72)}"}) }`,
  `{ f(a: 1, b: 2) { g(first: ${long}, second: ${long}, third: ${long}) } }`,
  `{ f(list: [${long}, ${long}, ${long}], short: [1, 2]) }`,
  `{ f(obj: {a: ${long}, b: ${long}, c: ${long}}, short: {a: 1}) }`,
  `{ f(deep: [[${long}, ${long}], [1, 2], {k: [${long}, ${long}]}]) }`,
  `{ f(x: 1) @dir(list: [${long}, ${long}, ${long}], o: {a: ${long}, b: ${long}}) }`,
  `{ f(a: [1, """block\nstring""", 2]) }`,
  `query Q($a: [String] = ["${long}", "${long}"]) { a }`,
  `{ ${'longFieldAlias'.repeat(6)}: field(a: 1) }`,
  // type system
  'schema { query: Q mutation: M subscription: S }',
  '"schema desc" schema @d { query: Q }',
  'extend schema @d',
  'extend schema { mutation: M }',
  'scalar Date @specifiedBy(url: "https://example.com")',
  '"""Scalar desc""" scalar S extend scalar S @d',
  'type T implements A & B @d { a: Int b(x: Int = 1, y: [String!]! @d): [T!]! @deprecated(reason: "no") }',
  'type T',
  'type T implements & A { a: Int }',
  'interface I implements J & K @d { f: I }',
  'extend type T implements A',
  'extend type T @d { b: Int }',
  'extend interface I { g: Int }',
  'union U = A | B | C',
  'union U @d = | A',
  'union U',
  'extend union U = D',
  'extend union U @d',
  'enum E { A "desc" B @d """block\ndesc""" C }',
  'enum E',
  'extend enum E { D }',
  'input I @d { a: Int = 1 "desc" b: [I!] = [{a: 1}] @d }',
  'extend input I { c: String = "x" }',
  'extend input I @d',
  'directive @d(a: Int = 1, b: String) repeatable on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT',
  '"desc" directive @d on | QUERY',
  'directive @d("arg desc" a: Int, b: Int) on FIELD',
  'directive @d(a: Int) @meta on FIELD',
  'extend directive @d @meta(x: 1)',
  'type T { f("""\n  arg description\n  on lines\n  """ a: Int, b: Int): Int }',
  'type T { f(a: String = """block default"""): Int f2(a: Int @d(x: """multi\nline""")): Int }',
  `type T { f(a: [String] = ["${long}", "${long}"], b: Int): Int }`,
  '"""\nType description\n\n  with indented and blank lines\n"""\ntype T {\n  """\n  Field description\n\n  second paragraph\n  """\n  f: Int\n}',
  '"""has \\""" triple quotes""" type T { "short \\" quoted" f: Int }',
  'type T { "\\u0001 control in description" f: Int }',
  // a kitchen sink of both worlds in one document
  `query Kitchen($id: ID! = "1", $list: [[Int!]] = [[1, 2], [3]]) @a(b: {c: [d, e]}) {
    user: node(id: $id) { ... on User @defer { name friends(first: 10, after: null) { edges { node { id } } } } }
    ...Rest
  }
  fragment Rest on Query { version }
  schema { query: Query }
  type Query implements Node { node(id: ID!): Node version: String! }
  extend type Query @cache(ttl: 60)`,
];

{
  let body = 'static const struct doc_case doc_cases[] = {\n';
  for (const doc of documents) {
    const expected = graphql.print(graphql.parse(doc));
    body += `    {${cstrLines(doc, '     ')},\n     ${cstrLines(expected, '     ')}},\n`;
  }
  body += '};\n\n';

  const values = [
    '1', '-1.5e3', '"s"', '"""b"""', 'true', 'null', 'ENUM', '$v', '[]', '{}',
    '[1, "a", {b: [null]}]', `{a: "${'x'.repeat(80)}"}`, `[${long}, ${long}, ${long}]`,
  ];
  body += 'static const struct doc_case value_cases[] = {\n';
  for (const v of values) {
    body += `    {${cstr(v)}, ${cstrLines(graphql.print(graphql.parseValue(v)), '     ')}},\n`;
  }
  body += '};\n\nstatic const struct doc_case type_cases[] = {\n';
  for (const t of ['T', 'T!', '[T]', '[[T!]!]!']) {
    body += `    {${cstr(t)}, ${cstr(graphql.print(graphql.parseType(t)))}},\n`;
  }
  body += '};\n';
  replaceGenerated('test_printer.c', body);
  console.log(`${documents.length} documents, ${values.length} values`);
}
