// tests/diff/exec_gen.mjs — seeded random operations for the execution
// differential test (exec.test.mjs).
//
// generateCases(schema, options) walks the schema from a root type and
// builds operations: random fields with aliases, arguments given as
// literals or as variables (with their JSON values, now and then wrong on
// purpose), inline fragments and named fragments on every type condition
// that can overlap, @skip/@include with literals and variables, __typename,
// response keys repeated so that selections merge, and sometimes several
// operations with one picked by name. Every candidate is validated with
// graphql-js and only valid ones are kept, plus a few deliberately broken
// ones (syntax and validation errors). The same seed gives the same cases.
import {
  getNamedType, isCompositeType, isEnumType, isInputObjectType, isLeafType,
  isListType, isNonNullType, isObjectType, isUnionType, parse, validate,
} from 'graphql';

// mulberry32: small, fast and good enough to spread choices evenly.
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTS = [0, 1, -1, 7, 42, 2147483647, -2147483648];
const FLOATS = [0, 1.5, -0.25, 3, 1e21, 1e-7, 123.456];
const STRINGS = ['', 'x', 'Luke', 'é', '😀', 'a "quoted" \\ line\nbreak', '\u0007'];
// Values that fit no type in particular, to make some variables wrong.
const WILD = [null, 0, 1.5, 2147483648, 'RED', 'true', true, [], {}, [1, 'a'], { a: 1 }, 'x'];
const ALIASES = ['a', 'b', 'c', 'x', 'y', 'item', 'other'];
// Root fields whose data makes the whole response null; rarely chosen so
// that most generated responses still show data.
const FATAL = new Set(['deepNN', 'missingNN', 'nullNN', 'badSearchNN', 'failNN']);

function gqlString(s) {
  return JSON.stringify(s);
}

class Generator {
  constructor(schema, rnd, maxDepth) {
    this.schema = schema;
    this.rnd = rnd;
    this.maxDepth = maxDepth;
    this.composite = Object.values(schema.getTypeMap()).filter(
      (t) => isCompositeType(t) && !t.name.startsWith('__'));
  }

  chance(p) { return this.rnd() < p; }
  int(lo, hi) { return lo + Math.floor(this.rnd() * (hi - lo + 1)); }
  pick(arr) { return arr[Math.floor(this.rnd() * arr.length)]; }

  possible(t) {
    return isObjectType(t) ? [t] : this.schema.getPossibleTypes(t);
  }

  overlaps(a, b) {
    const pa = new Set(this.possible(a).map((t) => t.name));
    return this.possible(b).some((t) => pa.has(t.name));
  }

  // ---- one operation --------------------------------------------------------

  operation() {
    this.varDefs = [];
    this.variables = {};
    this.fragments = [];
    this.built = [];
    this.varCount = 0;
    const mutation = this.chance(0.1);
    const root = mutation ? this.schema.getMutationType() : this.schema.getQueryType();
    const name = this.chance(0.4) ? `Op${this.int(1, 99)}` : '';
    const body = this.selectionSet(root, 0);
    const head = (mutation ? 'mutation' : 'query') + (name ? ' ' + name : '') +
      (this.varDefs.length ? `(${this.varDefs.join(', ')})` : '');
    let query = (name || this.varDefs.length || mutation || this.chance(0.5) ? head + ' ' : '') + body;
    for (const f of this.fragments) query += '\n' + f;
    let operationName;
    if (name && this.chance(0.3)) {
      // A second operation, so that the name picks the one to run.
      const other = `query Other${this.int(1, 9)} { __typename }`;
      query = this.chance(0.5) ? `${other}\n${query}` : `${query}\n${other}`;
      operationName = name;
    }
    const c = { query };
    if (this.varDefs.length || this.chance(0.1)) c.variables = this.variables;
    if (operationName) c.operationName = operationName;
    return c;
  }

  selectionSet(type, depth) {
    const items = [];
    const keys = new Map();
    const n = this.int(1, depth === 0 ? 4 : 3);
    for (let i = 0; i < n; i++) {
      const r = this.rnd();
      const abstract = !isObjectType(type);
      if (r < (abstract ? 0.35 : 0.1)) {
        items.push(this.inlineFragment(type, depth));
      } else if (r < (abstract ? 0.5 : 0.17)) {
        items.push(this.fragmentSpread(type, depth));
      } else {
        const f = this.field(type, depth, keys);
        if (f) items.push(f);
      }
    }
    if (items.length === 0) items.push('__typename');
    return `{ ${items.join(' ')} }`;
  }

  directives() {
    if (!this.chance(0.15)) return '';
    const name = this.pick(['skip', 'include']);
    let cond;
    if (this.chance(0.5)) {
      cond = this.chance(0.5) ? 'true' : 'false';
    } else {
      const v = this.newVar(this.chance(0.8) ? 'Boolean!' : 'Boolean = true');
      if (this.chance(0.9)) this.variables[v] = this.chance(0.5);
      cond = '$' + v;
    }
    return ` @${name}(if: ${cond})`;
  }

  typeCondition(type) {
    const candidates = this.composite.filter((t) => this.overlaps(type, t));
    return this.pick(candidates);
  }

  inlineFragment(type, depth) {
    if (this.chance(0.15)) return `...${this.directives()} ${this.selectionSet(type, depth + 1)}`;
    const cond = this.typeCondition(type);
    return `... on ${cond.name}${this.directives()} ${this.selectionSet(cond, depth + 1)}`;
  }

  fragmentSpread(type, depth) {
    const reusable = this.built.filter((f) => this.overlaps(type, f.type));
    let frag;
    if (reusable.length && this.chance(0.5)) {
      frag = this.pick(reusable);
    } else {
      const cond = this.typeCondition(type);
      const name = `F${this.fragments.length + this.built.length}_${cond.name}`;
      const body = this.selectionSet(cond, depth + 1);
      frag = { name, type: cond };
      this.fragments.push(`fragment ${name} on ${cond.name} ${body}`);
      this.built.push(frag);
    }
    return `...${frag.name}${this.directives()}`;
  }

  field(type, depth, keys) {
    if (isUnionType(type) || this.chance(0.08)) {
      const alias = this.chance(0.3) ? this.pick(ALIASES) + ': ' : '';
      return this.claim(keys, alias ? alias.slice(0, -2) : '__typename', '__typename')
        ? `${alias}__typename${this.directives()}` : null;
    }
    let fields = Object.values(type.getFields());
    if (depth === 0) fields = fields.filter((f) => !FATAL.has(f.name) || this.chance(0.05));
    const f = this.pick(fields);
    const args = [];
    for (const a of f.args) {
      const required = isNonNullType(a.type) && a.defaultValue === undefined;
      if (!required && !this.chance(0.3)) continue;
      args.push(`${a.name}: ${this.argValue(a.type)}`);
    }
    const argText = args.length ? `(${args.join(', ')})` : '';
    const alias = this.chance(0.2) ? this.pick([...ALIASES, f.name + 'A']) : '';
    if (!this.claim(keys, alias || f.name, f.name + argText)) return null;
    let text = (alias ? alias + ': ' : '') + f.name + argText + this.directives();
    const named = getNamedType(f.type);
    if (isCompositeType(named)) {
      text += ' ' + (depth >= this.maxDepth ? '{ __typename }' : this.selectionSet(named, depth + 1));
    }
    // Now and then the same key again, to merge two selections.
    if (isLeafType(named) && this.chance(0.1)) text += ' ' + text;
    return text;
  }

  // A response key may only be reused for the same field and arguments.
  claim(keys, key, signature) {
    const had = keys.get(key);
    if (had !== undefined && had !== signature) return false;
    keys.set(key, signature);
    return true;
  }

  // ---- arguments, variables and values ------------------------------------------

  newVar(typeText) {
    const name = `v${this.varCount++}`;
    this.varDefs.push(`$${name}: ${typeText}`);
    return name;
  }

  argValue(type) {
    if (this.chance(0.3)) return this.variableFor(type, false);
    return this.literal(type, 0);
  }

  // Declares a variable of the given type and gives it a value (usually a
  // good one, sometimes a wrong one, sometimes none at all).
  variableFor(type, nonNull) {
    let typeText = String(type);
    if (nonNull && !isNonNullType(type)) typeText += '!';
    if (!isNonNullType(type) && !nonNull && this.chance(0.2)) {
      typeText += ' = ' + this.literal(type, 1, true);
    }
    const name = this.newVar(typeText);
    const r = this.rnd();
    if (r < 0.08) return '$' + name; // not provided
    this.variables[name] = r < 0.16 ? this.pick(WILD) : this.jsValue(type, 0);
    return '$' + name;
  }

  literal(type, depth, constant = false) {
    if (!constant && depth > 0 && this.chance(0.08)) return this.variableFor(type, false);
    if (isNonNullType(type)) return this.literalOf(type.ofType, depth, constant, true);
    return this.literalOf(type, depth, constant, false);
  }

  // A literal of a nullable type; null only when allowed.
  literalOf(type, depth, constant, noNull) {
    if (!noNull && depth > 0 && this.chance(0.07)) return 'null';
    if (isListType(type)) {
      if (this.chance(0.3)) return this.literal(type.ofType, depth + 1, constant);
      const n = this.int(0, 3);
      const items = [];
      for (let i = 0; i < n; i++) items.push(this.literal(type.ofType, depth + 1, constant));
      return `[${items.join(', ')}]`;
    }
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      if (type.isOneOf) {
        const f = this.pick(fields);
        const v = !constant && this.chance(0.2)
          ? this.variableFor(f.type, true)
          : this.literalOf(f.type, depth + 2, constant, true);
        return `{${f.name}: ${v}}`;
      }
      const parts = [];
      for (const f of fields) {
        const required = isNonNullType(f.type) && f.defaultValue === undefined;
        if (!required && (depth > 2 || !this.chance(0.4))) continue;
        parts.push(`${f.name}: ${this.literal(f.type, depth + 1, constant)}`);
      }
      return `{${parts.join(', ')}}`;
    }
    if (isEnumType(type)) return this.pick(type.getValues()).name;
    switch (type.name) {
      case 'Int': return String(this.pick(INTS));
      case 'Float': return this.pick(['1.5', '-0.25', '3', '1e3', '0.0', '2.5E-3']);
      case 'String': return gqlString(this.pick(STRINGS));
      case 'Boolean': return this.chance(0.5) ? 'true' : 'false';
      case 'ID': return this.chance(0.5) ? gqlString(this.pick(['1000', 'abc', ''])) : String(this.int(0, 9999));
      default: return this.customLiteral(depth);
    }
  }

  // A literal for a custom scalar: any value, enum names included.
  customLiteral(depth) {
    const r = this.rnd();
    if (depth < 3 && r < 0.2) return `{k${this.int(0, 3)}: ${this.customLiteral(depth + 1)}, z: ${this.customLiteral(depth + 1)}}`;
    if (depth < 3 && r < 0.35) return `[${this.customLiteral(depth + 1)}, ${this.customLiteral(depth + 1)}]`;
    return this.pick(['1', '-2.5', '"s"', 'true', 'null', 'SOME_ENUM', '""']);
  }

  jsValue(type, depth) {
    if (isNonNullType(type)) return this.jsValueOf(type.ofType, depth, true);
    return this.jsValueOf(type, depth, false);
  }

  jsValueOf(type, depth, noNull) {
    if (!noNull && depth > 0 && this.chance(0.07)) return null;
    if (isListType(type)) {
      if (this.chance(0.3)) return this.jsValue(type.ofType, depth + 1);
      const n = this.int(0, 3);
      const items = [];
      for (let i = 0; i < n; i++) items.push(this.jsValue(type.ofType, depth + 1));
      return items;
    }
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      const o = {};
      if (type.isOneOf) {
        const f = this.pick(fields);
        o[f.name] = this.jsValueOf(f.type, depth + 2, true);
        return o;
      }
      for (const f of fields) {
        const required = isNonNullType(f.type) && f.defaultValue === undefined;
        if (!required && (depth > 2 || !this.chance(0.4))) continue;
        o[f.name] = this.jsValue(f.type, depth + 1);
      }
      return o;
    }
    if (isEnumType(type)) return this.pick(type.getValues()).name;
    switch (type.name) {
      case 'Int': return this.pick(INTS);
      case 'Float': return this.pick(FLOATS);
      case 'String': return this.pick(STRINGS);
      case 'Boolean': return this.chance(0.5);
      case 'ID': return this.chance(0.5) ? this.pick(['1000', 'abc', '']) : this.int(0, 9999);
      default: return this.pick([1, 'any', { nested: [true, null] }, [1.5, 'b'], false, null]);
    }
  }
}

// Text changes that break a valid operation.
function breakQuery(g, q) {
  switch (g.int(0, 4)) {
    case 0: return q.slice(0, g.int(1, q.length - 1)); // truncated: syntax
    case 1: return q.replace('{', '{ nosuchfield '); // unknown field
    case 2: return q.replace(/\b(name|id|greeting|count)\b/, '$1 { x }'); // leaf with selection
    case 3: return q.replace('{', '{ ...Missing '); // unknown fragment
    default: return q.replace(/\}\s*$/, 'hero }'); // composite without selection
  }
}

export function generateCases(schema, { seed = 20250117, valid = 320, invalid = 16, maxDepth = 3 } = {}) {
  const g = new Generator(schema, prng(seed), maxDepth);
  const cases = [];
  const broken = [];
  let attempts = 0;
  while ((cases.length < valid || broken.length < invalid) && attempts++ < valid * 20) {
    const c = g.operation();
    let doc;
    try {
      doc = parse(c.query);
    } catch (e) {
      throw new Error(`generated text does not parse: ${e.message}\n${c.query}`);
    }
    if (validate(schema, doc).length > 0) continue;
    if (cases.length < valid) cases.push({ name: `gen#${cases.length}`, ...c });
    if (broken.length < invalid && g.chance(0.2)) {
      const q = breakQuery(g, c.query);
      let bad = true;
      try {
        bad = validate(schema, parse(q)).length > 0;
      } catch {
        bad = true;
      }
      if (bad) broken.push({ name: `gen-invalid#${broken.length}`, ...c, query: q });
    }
  }
  if (cases.length < valid) throw new Error(`only ${cases.length} valid operations generated`);
  return [...cases, ...broken];
}
