/* src/validation/overlap.c — the "Overlapping Fields Can Be Merged" check.
 *
 * Follows graphql-js 17.1.0's OverlappingFieldsCanBeMergedRule step for
 * step, because its results depend on more than the specification says:
 * the order in which conflicts are found, which pairs its memo tables skip,
 * and a complexity budget of 500,000 steps for the whole document after
 * which validation is aborted. Every step that graphql-js charges to the
 * budget is charged here too, at the same places, so that the same
 * documents abort. (The order of charges inside one selection set does not
 * matter: an abort anywhere in it drops all of its conflicts.)
 *
 * Main structures, all in the request arena:
 *  - collected: the fields of one selection set (through inline fragments)
 *    grouped by response name in first-seen order, plus its fragment
 *    spreads; cached per (parent type, selection set) like graphql-js.
 *  - memo maps (open addressing, 16-byte entries keyed by a pointer or a
 *    pair of 32-bit ids): compared (fields, fragment) and (fragment,
 *    fragment) pairs, overlapping response names of two collected sets,
 *    argument comparisons of two fields, argument values to their keys
 *    (interned with core/intern.h, so equal keys compare by pointer).
 *  - conflicts form a tree (subfield conflicts own their children); the
 *    message text and the location lists are produced only when a conflict
 *    is reported, so memory per conflict is a few words.
 *
 * Fragment arguments (graphql-js's experimental fragment variables) do not
 * exist in gqld's AST, so every variable scope of graphql-js is undefined
 * here and the "Spreads ... have different fragment arguments" case cannot
 * occur.
 *
 * Recursion: walks over fragments (which may be long chains or cycles) use
 * an explicit stack of iterator frames; the recursion through nested
 * sub-selections is bounded by MAX_COMPARE_DEPTH.
 *
 * Cost: every step is charged to the budget except collecting a selection
 * set (linear, once per set and parent type) and interning a value (linear,
 * once per value), so the work for any document is bounded by its size
 * plus a constant times the budget; so is the memory. */
#include "validation/overlap.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/hash.h"
#include "core/intern.h"
#include "language/string_value.h"

/* graphql-js's limits on one message: a name or reason longer than this
 * is cut and ends with "...", and a conflict lists at most MAX_NODES
 * fields per side. */
#define MAX_DETAIL 1000u
#define MAX_NODES 20u

/* graphql-js's MAX_COMPLEXITY_BUDGET: steps the rule may take over one
 * document before validation is aborted. */
#define COMPLEXITY_BUDGET 500000

/* Nesting of sub-selection comparisons. The parser bounds selection depth
 * (GQLX_DEFAULT_MAX_PARSE_DEPTH), but fragments that spread each other in a
 * chain (F1 { a { ...F2 } }, F2 { a { ...F3 } }, ...) nest comparisons as
 * deep as the chain is long. This bounds the C stack (a few hundred bytes
 * per level); past it the check aborts as if the budget ran out
 * (graphql-js itself overflows its stack on such chains). */
#define MAX_COMPARE_DEPTH 1000u

/* Fragment id of a spread whose fragment is not defined. */
#define UNKNOWN_FRAGMENT(o) ((o)->nfrags)

/* ---- memo maps ------------------------------------------------------- */

/* Keys are a pointer or two 32-bit ids packed (PAIR); a slot is free when
 * its key is EMPTY_KEY, which no pointer or id pair can be (ids stay below
 * UINT32_MAX). 16 bytes per entry keeps the tables of a budget-heavy
 * document at a few MB. */
#define EMPTY_KEY UINT64_MAX
#define PAIR(a, b) ((uint64_t)(a) << 32 | (uint32_t)(b))

typedef struct pentry {
    uint64_t k;
    uint64_t v;
} pentry;

typedef struct pmap {
    pentry *e;
    uint32_t mask; /* capacity - 1; e NULL while empty */
    uint32_t count;
} pmap;

/* ---- collected fields ------------------------------------------------- */

/* What graphql-js's getArgumentInfo keeps: present is false for no
 * arguments; by_name holds each distinct name once, the last argument of
 * that name (a Map keeps the last set), sorted for binary search. */
typedef struct arginfo {
    bool present;
    uint32_t count; /* arguments as written, duplicates included */
    const gqlx_argument *const *list;
    const gqlx_argument **by_name;
    uint32_t nnames;
} arginfo;

/* One field of a collected selection set (graphql-js FieldDetails). */
typedef struct fdet {
    const gqlx_type *parent; /* any kind, or NULL */
    const gqlx_field *node;
    const gqlx_field_decl *def; /* NULL when unknown */
    const gqlx_directive *stream; /* the first @stream, or NULL */
    uint32_t id; /* for memo keys */
    bool simple_leaf;
    bool info_ready;
    /* Set by field_info: &no_args when there are none, else in the arena. */
    const arginfo *args, *stream_args;
} fdet;

static const arginfo no_args = {0};

typedef struct group {
    gqlx_slice name; /* response name */
    fdet *f;
    uint32_t n;
} group;

typedef struct collected {
    const gqlx_type *parent;
    struct collected *next_same_set; /* same selection set, other parent */
    uint32_t id;                     /* for memo keys */
    group *groups; /* first-seen order */
    uint32_t ngroups;
    uint32_t *index; /* name hash -> group index + 1; 0 = free */
    uint32_t index_mask;
    const gqlx_fragment_spread **spreads; /* as written */
    uint32_t nspreads;
    uint32_t *frags; /* distinct fragment ids of the spreads, in order */
    uint32_t nfrags;
    bool frags_ready;
} collected;

/* ---- conflicts -------------------------------------------------------- */

enum {
    C_DIFFERENT_FIELDS,
    C_DIFFERING_ARGS,
    C_STREAM,
    C_STREAM_SAME_ARGS,
    C_TYPES,
    C_SUBFIELDS
};

typedef struct conflict {
    struct conflict *next;
    struct conflict *children; /* C_SUBFIELDS: the sub-conflicts, in order */
    gqlx_slice name;           /* response name */
    const gqlx_field *n1, *n2;
    const gqlx_type_ref *t1, *t2; /* C_TYPES */
    uint8_t kind;
} conflict;

typedef struct clist {
    conflict *head, *tail;
} clist;

/* A string builder in the arena (messages), reused for every report. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

struct gqlx_overlap {
    gqlx_arena *arena;
    const gqlx_schema *schema;
    gqlx_overlap_report_fn *report;
    void *user;
    uint64_t seed;

    long budget;
    uint32_t depth;
    bool aborted; /* the budget ran out or comparisons nested too deep */
    bool failed;  /* the arena failed */
    bool stopped; /* nothing more to do: aborted, failed or report said stop */

    /* Fragment definitions by id: one id per distinct name, the last
     * definition of that name (graphql-js's signature map keeps the last). */
    const gqlx_fragment_def **frag_defs;
    collected **frag_fields; /* lazily, per id */
    uint32_t nfrags;
    uint32_t *frag_index; /* name hash -> id + 1 */
    uint32_t frag_index_mask;
    uint32_t *stamp; /* per id (+ unknown): dedup marks */
    uint32_t stamp_gen;

    pmap inline_sets;   /* selection sets of inline fragments */
    pmap collected_by;  /* selection set -> its collected sets (per parent) */
    pmap fields_frag;   /* (collected, fragment id) -> mutually exclusive */
    pmap frag_pairs;    /* (fragment id, fragment id) -> mutually exclusive */
    pmap overlaps;      /* (collected, collected) -> overlap list */
    pmap comparisons;   /* (fdet, fdet) -> CMP_* bits, for fields that both
                           have arguments (other comparisons cost nothing) */
    pmap value_ids;     /* value node -> interned key */
    uint32_t next_collected_id, next_fdet_id;
    gqlx_intern_table value_keys; /* encoded values: equal keys, one copy */

    struct walk_frame *stack; /* explicit stack of the fragment walks */
    size_t stack_len, stack_cap;

    sbuf msg;
    sbuf scratch; /* value keys */

    /* Scratch of collect(), which never nests: reused, so that only the
     * exactly sized results stay in the arena. Room for tmp_cap fields. */
    const gqlx_type **tmp_parents;
    const gqlx_field **tmp_nodes;
    uint32_t *tmp_gid;
    group *tmp_groups;
    uint32_t tmp_cap;
};

/* One level of a fragment walk: the fragment (pair) being expanded and
 * the next of its children to visit, as a recursive call would hold it.
 * The stack is thus as deep as the recursion, not as wide as the fan-out. */
typedef struct walk_frame {
    uint32_t a, b;
    uint32_t next;
} walk_frame;

/* Cached comparison bits per ordered pair of fields. */
#define CMP_ARGS_KNOWN 1u
#define CMP_ARGS_SAME 2u
#define CMP_STREAM_KNOWN 4u
#define CMP_STREAM_SAME 8u

/* A list of group pairs with the same response name (getOverlappingFields). */
typedef struct overlap_list {
    uint32_t n;
    uint32_t pairs[]; /* 2 * n: group in set 1, group in set 2 */
} overlap_list;

/* ---- budget ----------------------------------------------------------- */

/* graphql-js's spendComplexityBudget; true while the check may go on. */
static bool spend(gqlx_overlap *o, long cost)
{
    o->budget -= cost;
    if (o->budget < 0)
        o->aborted = true;
    return !o->aborted;
}

static bool halted(const gqlx_overlap *o)
{
    return o->aborted || o->failed;
}

static void *alloc_array(gqlx_overlap *o, size_t n, size_t elem, size_t align)
{
    void *p = gqlx_arena_array(o->arena, n == 0 ? 1 : n, elem, align);
    if (p == NULL)
        o->failed = true;
    return p;
}
#define NEW_ARRAY(o, type, n) ((type *)alloc_array((o), (n), sizeof(type), _Alignof(type)))

/* ---- pair map implementation ------------------------------------------ */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint32_t key_hash(uint64_t seed, uint64_t k)
{
    return (uint32_t)mix64(k ^ seed);
}

static pentry *pmap_find(const gqlx_overlap *o, const pmap *m, uint64_t k)
{
    if (m->e == NULL)
        return NULL;
    uint32_t i = key_hash(o->seed, k) & m->mask;
    for (;;) {
        pentry *e = &m->e[i];
        if (e->k == k)
            return e;
        if (e->k == EMPTY_KEY)
            return NULL;
        i = (i + 1) & m->mask;
    }
}

static bool pmap_grow(gqlx_overlap *o, pmap *m)
{
    uint32_t cap = m->e == NULL ? 16u : (m->mask + 1u) * 2u;
    if (cap == 0) { /* cannot double further */
        o->failed = true;
        return false;
    }
    pentry *e = NEW_ARRAY(o, pentry, cap);
    if (e == NULL)
        return false;
    for (uint32_t i = 0; i < cap; i++)
        e[i].k = EMPTY_KEY;
    if (m->e != NULL) {
        for (uint32_t j = 0; j <= m->mask; j++) {
            if (m->e[j].k == EMPTY_KEY)
                continue;
            uint32_t i = key_hash(o->seed, m->e[j].k) & (cap - 1u);
            while (e[i].k != EMPTY_KEY)
                i = (i + 1) & (cap - 1u);
            e[i] = m->e[j];
        }
    }
    m->e = e;
    m->mask = cap - 1u;
    return true;
}

/* The entry for key k, added with v = 0 if absent (*added tells which);
 * NULL when the arena fails. */
static pentry *pmap_put(gqlx_overlap *o, pmap *m, uint64_t k, bool *added)
{
    pentry *e = pmap_find(o, m, k);
    if (e != NULL) {
        *added = false;
        return e;
    }
    if (m->e == NULL || (uint64_t)(m->count + 1u) * 4u > (uint64_t)(m->mask + 1u) * 3u) {
        if (!pmap_grow(o, m))
            return NULL;
    }
    uint32_t i = key_hash(o->seed, k) & m->mask;
    while (m->e[i].k != EMPTY_KEY)
        i = (i + 1) & m->mask;
    e = &m->e[i];
    e->k = k;
    e->v = 0;
    m->count++;
    *added = true;
    return e;
}

#define PKEY(p) ((uint64_t)(uintptr_t)(const void *)(p))

/* ---- string builder ---------------------------------------------------- */

static void sb_put(gqlx_overlap *o, sbuf *s, const char *p, size_t n)
{
    if (o->failed)
        return;
    if (s->cap - s->len < n) {
        size_t cap = s->cap < 256 ? 256 : s->cap;
        while (cap - s->len < n) {
            if (cap > SIZE_MAX / 2) {
                o->failed = true;
                return;
            }
            cap *= 2;
        }
        char *np = NEW_ARRAY(o, char, cap);
        if (np == NULL)
            return;
        if (s->len != 0)
            memcpy(np, s->p, s->len);
        s->p = np;
        s->cap = cap;
    }
    if (n != 0)
        memcpy(s->p + s->len, p, n);
    s->len += n;
}

static void sb_cstr(gqlx_overlap *o, sbuf *s, const char *c)
{
    sb_put(o, s, c, strlen(c));
}

/* graphql-js maybeAbbreviate: names are ASCII, so bytes are UTF-16 units. */
static void sb_abbrev(gqlx_overlap *o, sbuf *s, gqlx_slice t)
{
    if (t.len > MAX_DETAIL) {
        sb_put(o, s, t.ptr, MAX_DETAIL);
        sb_cstr(o, s, "...");
    } else {
        sb_put(o, s, t.ptr, t.len);
    }
}

static void sb_type(gqlx_overlap *o, sbuf *s, const gqlx_type_ref *t)
{
    if (t->wrap == GQLX_WRAP_LIST) {
        sb_cstr(o, s, "[");
        sb_type(o, s, t->of);
        sb_cstr(o, s, "]");
    } else if (t->wrap == GQLX_WRAP_NON_NULL) {
        sb_type(o, s, t->of);
        sb_cstr(o, s, "!");
    } else {
        sb_put(o, s, t->named->name->str, t->named->name->len);
    }
}

/* ---- fragments ------------------------------------------------------- */

static uint64_t name_hash(const gqlx_overlap *o, gqlx_slice n)
{
    return gqlx_hash(n.ptr, n.len, o->seed);
}

/* The id of the fragment named n, or UNKNOWN_FRAGMENT. */
static uint32_t fragment_id(const gqlx_overlap *o, gqlx_slice n)
{
    if (o->frag_index == NULL)
        return UNKNOWN_FRAGMENT(o);
    uint32_t i = (uint32_t)name_hash(o, n) & o->frag_index_mask;
    for (;;) {
        uint32_t v = o->frag_index[i];
        if (v == 0)
            return UNKNOWN_FRAGMENT(o);
        if (gqlx_slice_eq(o->frag_defs[v - 1]->name, n))
            return v - 1;
        i = (i + 1) & o->frag_index_mask;
    }
}

static bool index_fragments(gqlx_overlap *o, const gqlx_document *doc)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < doc->definitions.count; i++)
        if (doc->definitions.items[i]->kind == GQLX_KIND_FRAGMENT_DEFINITION)
            n++;
    o->frag_defs = NEW_ARRAY(o, const gqlx_fragment_def *, n);
    o->frag_fields = NEW_ARRAY(o, collected *, n);
    o->stamp = NEW_ARRAY(o, uint32_t, (size_t)n + 1u);
    if (o->failed)
        return false;
    memset(o->stamp, 0, ((size_t)n + 1u) * sizeof *o->stamp);
    if (n == 0)
        return true;
    uint32_t cap = 4;
    while (cap < 2u * n)
        cap *= 2;
    o->frag_index = NEW_ARRAY(o, uint32_t, cap);
    if (o->frag_index == NULL)
        return false;
    memset(o->frag_index, 0, cap * sizeof *o->frag_index);
    o->frag_index_mask = cap - 1u;
    for (uint32_t d = 0; d < doc->definitions.count; d++) {
        const gqlx_node *node = doc->definitions.items[d];
        if (node->kind != GQLX_KIND_FRAGMENT_DEFINITION)
            continue;
        const gqlx_fragment_def *f = GQLX_AS_CONST(gqlx_fragment_def, node);
        uint32_t i = (uint32_t)name_hash(o, f->name) & o->frag_index_mask;
        for (;;) {
            uint32_t v = o->frag_index[i];
            if (v == 0) {
                o->frag_defs[o->nfrags] = f;
                o->frag_fields[o->nfrags] = NULL;
                o->frag_index[i] = ++o->nfrags;
                break;
            }
            if (gqlx_slice_eq(o->frag_defs[v - 1]->name, f->name)) {
                o->frag_defs[v - 1] = f; /* the last definition wins */
                break;
            }
            i = (i + 1) & o->frag_index_mask;
        }
    }
    return true;
}

/* Marks the selection sets that belong to inline fragments: graphql-js's
 * rule skips them (their fields are checked with the enclosing set).
 * Recursion follows the document's nesting, which the parser bounds. */
static void mark_inline_sets(gqlx_overlap *o, const gqlx_selection_set *set)
{
    if (set == NULL)
        return;
    for (uint32_t i = 0; i < set->selections.count && !o->failed; i++) {
        const gqlx_node *s = set->selections.items[i];
        if (s->kind == GQLX_KIND_FIELD) {
            mark_inline_sets(o, GQLX_AS_CONST(gqlx_field, s)->selection_set);
        } else if (s->kind == GQLX_KIND_INLINE_FRAGMENT) {
            const gqlx_selection_set *sub = GQLX_AS_CONST(gqlx_inline_fragment, s)->selection_set;
            bool added;
            if (sub != NULL && pmap_put(o, &o->inline_sets, PKEY(sub), &added) == NULL)
                return;
            mark_inline_sets(o, sub);
        }
    }
}

/* ---- collecting fields ------------------------------------------------ */

typedef struct collect_ctx {
    const gqlx_type **parents; /* per field, in document order */
    const gqlx_field **nodes;
    uint32_t *gid;
    uint32_t nf, ns;
    collected *c;
} collect_ctx;

static void count_selections(const gqlx_selection_set *set, uint32_t *nf, uint32_t *ns)
{
    if (set == NULL)
        return;
    for (uint32_t i = 0; i < set->selections.count; i++) {
        const gqlx_node *s = set->selections.items[i];
        if (s->kind == GQLX_KIND_FIELD)
            (*nf)++;
        else if (s->kind == GQLX_KIND_FRAGMENT_SPREAD)
            (*ns)++;
        else if (s->kind == GQLX_KIND_INLINE_FRAGMENT)
            count_selections(GQLX_AS_CONST(gqlx_inline_fragment, s)->selection_set, nf, ns);
    }
}

static const gqlx_type *type_named(const gqlx_overlap *o, const gqlx_named_type *n)
{
    if (n == NULL || o->schema == NULL)
        return NULL;
    return gqlx_schema_type(o->schema, n->name.ptr, n->name.len);
}

/* graphql-js collectFieldsImpl: fields in document order through inline
 * fragments (with the fragment's type, or the enclosing one without a
 * type condition); spreads are only listed. */
static void gather(gqlx_overlap *o, collect_ctx *x, const gqlx_type *parent,
                   const gqlx_selection_set *set)
{
    if (set == NULL)
        return;
    collected *c = x->c;
    for (uint32_t i = 0; i < set->selections.count; i++) {
        const gqlx_node *s = set->selections.items[i];
        if (s->kind == GQLX_KIND_FIELD) {
            const gqlx_field *f = GQLX_AS_CONST(gqlx_field, s);
            gqlx_slice name = f->alias.ptr != NULL ? f->alias : f->name;
            uint32_t h = (uint32_t)name_hash(o, name) & c->index_mask;
            uint32_t g;
            for (;;) {
                uint32_t v = c->index[h];
                if (v == 0) {
                    g = c->ngroups++;
                    c->groups[g].name = name;
                    c->groups[g].n = 0;
                    c->index[h] = g + 1u;
                    break;
                }
                if (gqlx_slice_eq(c->groups[v - 1].name, name)) {
                    g = v - 1;
                    break;
                }
                h = (h + 1) & c->index_mask;
            }
            c->groups[g].n++;
            x->parents[x->nf] = parent;
            x->nodes[x->nf] = f;
            x->gid[x->nf] = g;
            x->nf++;
        } else if (s->kind == GQLX_KIND_FRAGMENT_SPREAD) {
            c->spreads[x->ns++] = GQLX_AS_CONST(gqlx_fragment_spread, s);
        } else if (s->kind == GQLX_KIND_INLINE_FRAGMENT) {
            const gqlx_inline_fragment *in = GQLX_AS_CONST(gqlx_inline_fragment, s);
            const gqlx_type *t = in->type_condition ? type_named(o, in->type_condition) : parent;
            gather(o, x, t, in->selection_set);
        }
    }
}

static const gqlx_directive *find_stream(const gqlx_field *f)
{
    for (uint32_t i = 0; i < f->directives.count; i++)
        if (gqlx_slice_eq_cstr(f->directives.items[i]->name, "stream"))
            return f->directives.items[i];
    return NULL;
}

/* A fresh id for memo keys; ids stay below UINT32_MAX (EMPTY_KEY). */
static uint32_t next_id(gqlx_overlap *o, uint32_t *counter)
{
    if (*counter >= UINT32_MAX - 1u)
        o->failed = true; /* more fields than memory could hold anyway */
    return (*counter)++;
}

/* graphql-js collectFields: the collected fields of set under parent,
 * cached per (parent, set). NULL only when the arena fails. */
static collected *collect(gqlx_overlap *o, const gqlx_type *parent, const gqlx_selection_set *set)
{
    bool added;
    pentry *e = pmap_put(o, &o->collected_by, PKEY(set), &added);
    if (e == NULL)
        return NULL;
    /* Nearly always one parent per set; a chain covers the others. */
    collected *first = (collected *)(uintptr_t)e->v;
    for (collected *k = first; k != NULL; k = k->next_same_set)
        if (k->parent == parent)
            return k;

    uint32_t nf = 0, ns = 0;
    count_selections(set, &nf, &ns);
    if (nf > o->tmp_cap) {
        uint32_t want = nf > 2 * o->tmp_cap ? nf : 2 * o->tmp_cap;
        o->tmp_parents = NEW_ARRAY(o, const gqlx_type *, want);
        o->tmp_nodes = NEW_ARRAY(o, const gqlx_field *, want);
        o->tmp_gid = NEW_ARRAY(o, uint32_t, want);
        o->tmp_groups = NEW_ARRAY(o, group, want);
        if (o->failed)
            return NULL;
        o->tmp_cap = want;
    }
    collected *c = NEW_ARRAY(o, collected, 1);
    collect_ctx x = {0};
    x.parents = o->tmp_parents;
    x.nodes = o->tmp_nodes;
    x.gid = o->tmp_gid;
    uint32_t cap = 4;
    while (cap < 2u * nf)
        cap *= 2;
    if (c == NULL)
        return NULL;
    memset(c, 0, sizeof *c);
    c->groups = o->tmp_groups;
    c->index = NEW_ARRAY(o, uint32_t, cap);
    c->spreads = NEW_ARRAY(o, const gqlx_fragment_spread *, ns);
    fdet *all = NEW_ARRAY(o, fdet, nf);
    if (o->failed)
        return NULL;
    memset(c->index, 0, cap * sizeof *c->index);
    c->index_mask = cap - 1u;
    c->nspreads = ns;
    c->parent = parent;
    c->id = next_id(o, &o->next_collected_id);
    x.c = c;
    gather(o, &x, parent, set);
    group *groups = NEW_ARRAY(o, group, c->ngroups);
    if (groups == NULL)
        return NULL;
    if (c->ngroups)
        memcpy(groups, c->groups, c->ngroups * sizeof *groups);
    c->groups = groups;

    /* Lay the fields out group by group, document order inside a group. */
    uint32_t off = 0;
    for (uint32_t g = 0; g < c->ngroups; g++) {
        c->groups[g].f = all + off;
        off += c->groups[g].n;
        c->groups[g].n = 0;
    }
    for (uint32_t i = 0; i < x.nf; i++) {
        group *g = &c->groups[x.gid[i]];
        fdet *d = &g->f[g->n++];
        memset(d, 0, sizeof *d);
        const gqlx_type *p = x.parents[i];
        const gqlx_field *f = x.nodes[i];
        d->parent = p;
        d->node = f;
        d->id = next_id(o, &o->next_fdet_id);
        if (p != NULL && (p->kind == GQLX_TYPE_OBJECT || p->kind == GQLX_TYPE_INTERFACE))
            d->def = gqlx_type_field(p, f->name.ptr, f->name.len);
        d->stream = find_stream(f);
        d->simple_leaf = f->arguments.count == 0 && f->selection_set == NULL && d->stream == NULL;
    }
    e = pmap_find(o, &o->collected_by, PKEY(set));
    c->next_same_set = (collected *)(uintptr_t)e->v;
    e->v = PKEY(c);
    return c;
}

static collected *fragment_fields(gqlx_overlap *o, uint32_t id)
{
    if (o->frag_fields[id] == NULL) {
        const gqlx_fragment_def *f = o->frag_defs[id];
        o->frag_fields[id] = collect(o, type_named(o, f->type_condition), f->selection_set);
    }
    return o->frag_fields[id];
}

/* graphql-js getFragmentSpreads: the distinct fragments the set spreads,
 * in first-spread order (all undefined fragments count as one). Charges
 * one step per spread, once per collected set. */
static const uint32_t *fragment_spreads(gqlx_overlap *o, collected *c, uint32_t *n)
{
    if (!c->frags_ready) {
        c->frags = NEW_ARRAY(o, uint32_t, c->nspreads);
        if (c->frags == NULL) {
            *n = 0;
            return NULL;
        }
        uint32_t gen = ++o->stamp_gen;
        for (uint32_t i = 0; i < c->nspreads; i++) {
            spend(o, 1);
            uint32_t id = fragment_id(o, c->spreads[i]->name);
            if (o->stamp[id] != gen) {
                o->stamp[id] = gen;
                c->frags[c->nfrags++] = id;
            }
        }
        c->frags_ready = true;
    }
    *n = c->nfrags;
    return c->frags;
}

/* ---- argument values -------------------------------------------------- */

typedef struct named_ptr {
    gqlx_slice name;
    const void *p;
} named_ptr;

static int name_cmp(gqlx_slice a, gqlx_slice b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int r = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (r != 0)
        return r;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

/* Stable merge sort by name (graphql-js sorts object fields with a stable
 * sort; equal names keep their order). tmp has room for n items. */
static void sort_named(named_ptr *v, named_ptr *tmp, uint32_t n)
{
    for (uint32_t width = 1; width < n; width *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * width) {
            uint32_t mid = lo + width < n ? lo + width : n;
            uint32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            uint32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = name_cmp(v[j].name, v[i].name) < 0 ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
        if (width > UINT32_MAX / 2)
            break;
    }
}

static void put_u32(gqlx_overlap *o, sbuf *s, size_t v)
{
    uint32_t u = (uint32_t)v;
    sb_put(o, s, (const char *)&u, sizeof u);
}

static void put_text(gqlx_overlap *o, sbuf *s, char tag, gqlx_slice t)
{
    sb_put(o, s, &tag, 1);
    put_u32(o, s, t.len);
    sb_put(o, s, t.ptr, t.len);
}

/* Appends an unambiguous encoding of a value (tag, counts, lengths) that
 * two values share exactly when graphql-js's comparison keys are equal:
 * strings by decoded value plus block flag, numbers and enums by their
 * text, object fields sorted by name. Recursion follows the value's
 * nesting, which the parser bounds. */
static void encode_value(gqlx_overlap *o, sbuf *s, const gqlx_node *v)
{
    if (v == NULL || o->failed)
        return;
    switch (v->kind) {
    case GQLX_KIND_VARIABLE:
        put_text(o, s, 'V', GQLX_AS_CONST(gqlx_variable, v)->name);
        break;
    case GQLX_KIND_INT_VALUE:
        put_text(o, s, 'I', GQLX_AS_CONST(gqlx_scalar_value, v)->text);
        break;
    case GQLX_KIND_FLOAT_VALUE:
        put_text(o, s, 'F', GQLX_AS_CONST(gqlx_scalar_value, v)->text);
        break;
    case GQLX_KIND_ENUM_VALUE:
        put_text(o, s, 'E', GQLX_AS_CONST(gqlx_scalar_value, v)->text);
        break;
    case GQLX_KIND_STRING_VALUE: {
        const gqlx_string_value *sv = GQLX_AS_CONST(gqlx_string_value, v);
        gqlx_slice text;
        if (!gqlx_string_value_get(o->arena, sv, &text)) {
            o->failed = true;
            return;
        }
        put_text(o, s, (sv->base.flags & GQLX_STRING_BLOCK) ? 'B' : 'S', text);
        break;
    }
    case GQLX_KIND_BOOLEAN_VALUE:
        sb_cstr(o, s, GQLX_AS_CONST(gqlx_boolean_value, v)->value ? "t" : "f");
        break;
    case GQLX_KIND_NULL_VALUE:
        sb_cstr(o, s, "N");
        break;
    case GQLX_KIND_LIST_VALUE: {
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, v);
        sb_cstr(o, s, "L");
        put_u32(o, s, l->values.count);
        for (uint32_t i = 0; i < l->values.count; i++)
            encode_value(o, s, l->values.items[i]);
        break;
    }
    case GQLX_KIND_OBJECT_VALUE: {
        const gqlx_object_value *ov = GQLX_AS_CONST(gqlx_object_value, v);
        uint32_t n = ov->fields.count;
        named_ptr *f = NEW_ARRAY(o, named_ptr, n);
        named_ptr *tmp = NEW_ARRAY(o, named_ptr, n);
        if (o->failed)
            return;
        for (uint32_t i = 0; i < n; i++) {
            f[i].name = ov->fields.items[i]->name;
            f[i].p = ov->fields.items[i];
        }
        sort_named(f, tmp, n);
        sb_cstr(o, s, "O");
        put_u32(o, s, n);
        for (uint32_t i = 0; i < n; i++) {
            const gqlx_object_field *of = f[i].p;
            put_text(o, s, 'K', of->name);
            encode_value(o, s, of->value);
        }
        break;
    }
    default:
        sb_cstr(o, s, "?");
        break;
    }
}

/* The interned key of a value: equal pointers for equal keys. Computed
 * once per value node. NULL when the arena fails. */
static const char *value_id(gqlx_overlap *o, const gqlx_node *v)
{
    bool added;
    pentry *e = pmap_put(o, &o->value_ids, PKEY(v), &added);
    if (e == NULL)
        return NULL;
    if (!added)
        return (const char *)(uintptr_t)e->v;
    o->scratch.len = 0;
    encode_value(o, &o->scratch, v);
    if (o->failed)
        return NULL;
    /* Keys are never empty, so an interned key is never a NULL pointer. */
    const gqlx_name *key = gqlx_intern(&o->value_keys, o->scratch.p, o->scratch.len);
    if (key == NULL) {
        o->failed = true;
        return NULL;
    }
    const char *id = key->str;
    e = pmap_find(o, &o->value_ids, PKEY(v));
    e->v = PKEY(id);
    return id;
}

static const arginfo *build_arginfo(gqlx_overlap *o, const gqlx_argument_list *l)
{
    if (l->count == 0)
        return &no_args;
    arginfo *a = NEW_ARRAY(o, arginfo, 1);
    if (a == NULL)
        return &no_args;
    memset(a, 0, sizeof *a);
    a->present = true;
    a->count = l->count;
    a->list = (const gqlx_argument *const *)l->items;
    named_ptr *v = NEW_ARRAY(o, named_ptr, l->count);
    named_ptr *tmp = NEW_ARRAY(o, named_ptr, l->count);
    a->by_name = NEW_ARRAY(o, const gqlx_argument *, l->count);
    if (o->failed)
        return &no_args;
    for (uint32_t i = 0; i < l->count; i++) {
        v[i].name = l->items[i]->name;
        v[i].p = l->items[i];
    }
    sort_named(v, tmp, l->count);
    /* Keep the last of each run of equal names, as a Map's set() would. */
    for (uint32_t i = 0; i < l->count; i++) {
        if (i + 1 < l->count && gqlx_slice_eq(v[i].name, v[i + 1].name))
            continue;
        a->by_name[a->nnames++] = v[i].p;
    }
    return a;
}

static const gqlx_argument *arg_lookup(const arginfo *a, gqlx_slice name)
{
    uint32_t lo = 0, hi = a->nnames;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int r = name_cmp(a->by_name[mid]->name, name);
        if (r == 0)
            return a->by_name[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void field_info(gqlx_overlap *o, fdet *d)
{
    if (d->info_ready)
        return;
    d->info_ready = true;
    d->args = build_arginfo(o, &d->node->arguments);
    d->stream_args = d->stream != NULL ? build_arginfo(o, &d->stream->arguments) : &no_args;
}

/* graphql-js compareArguments + sameArguments (without fragment variable
 * scopes): same count, and each argument of a1 has a same-named one in a2
 * with an equal value. One step per argument looked at. */
static bool same_arguments(gqlx_overlap *o, const arginfo *a1, const arginfo *a2)
{
    if (!a1->present)
        return !a2->present;
    if (!a2->present || a1->count != a2->count)
        return false;
    for (uint32_t i = 0; i < a1->count; i++) {
        if (!spend(o, 1))
            return false;
        const gqlx_argument *arg = a1->list[i];
        const gqlx_argument *other = arg_lookup(a2, arg->name);
        if (other == NULL)
            return false;
        const char *k1 = value_id(o, arg->value);
        const char *k2 = value_id(o, other->value);
        if (k1 == NULL || k2 == NULL || k1 != k2)
            return false;
    }
    return true;
}

/* same_arguments, remembered per ordered pair of fields as graphql-js
 * does (a repeated comparison costs no steps). Only comparisons that cost
 * steps are remembered: without arguments on both sides, or with
 * different counts, the answer is free. known is CMP_ARGS_KNOWN or
 * CMP_STREAM_KNOWN; the "same" bit is the next one up. */
static bool compared_arguments(gqlx_overlap *o, const fdet *f1, const fdet *f2, const arginfo *a1,
                               const arginfo *a2, uint32_t known)
{
    if (!a1->present)
        return !a2->present;
    if (!a2->present || a1->count != a2->count)
        return false;
    bool added;
    pentry *e = pmap_put(o, &o->comparisons, PAIR(f1->id, f2->id), &added);
    if (e == NULL)
        return false;
    if (e->v & known)
        return (e->v & (known << 1)) != 0;
    bool same = same_arguments(o, a1, a2);
    /* Found again rather than relying on same_arguments never adding to
     * this map. */
    e = pmap_find(o, &o->comparisons, PAIR(f1->id, f2->id));
    if (e != NULL)
        e->v |= known | (same ? known << 1 : 0u);
    return same;
}

/* ---- types ------------------------------------------------------------ */

/* graphql-js compares type objects by identity. Its schemas share named
 * types but build a new wrapper for every field, while gqld shares "T!";
 * so wrappers count as identical only within one field definition. */
static bool types_conflict(gqlx_overlap *o, const gqlx_type_ref *a, const gqlx_type_ref *b)
{
    for (;;) {
        if (a == b && a->wrap == GQLX_WRAP_NAMED)
            return false;
        if (!spend(o, 1))
            return false;
        if (a->wrap == GQLX_WRAP_LIST) {
            if (b->wrap != GQLX_WRAP_LIST)
                return true;
        } else if (b->wrap == GQLX_WRAP_LIST) {
            return true;
        } else if (a->wrap == GQLX_WRAP_NON_NULL) {
            if (b->wrap != GQLX_WRAP_NON_NULL)
                return true;
        } else if (b->wrap == GQLX_WRAP_NON_NULL) {
            return true;
        } else {
            if (gqlx_type_is_leaf(a->named) || gqlx_type_is_leaf(b->named))
                return a->named != b->named;
            return false;
        }
        a = a->of;
        b = b->of;
    }
}

static bool same_type_object(const gqlx_field_decl *d1, const gqlx_field_decl *d2)
{
    if (d1 == NULL || d2 == NULL)
        return d1 == d2;
    return d1 == d2 || (d1->type == d2->type && d1->type->wrap == GQLX_WRAP_NAMED);
}

/* ---- the comparison --------------------------------------------------- */

static void clist_add(clist *l, conflict *c)
{
    if (c == NULL)
        return;
    c->next = NULL;
    if (l->tail)
        l->tail->next = c;
    else
        l->head = c;
    l->tail = c;
}

static conflict *new_conflict(gqlx_overlap *o, uint8_t kind, gqlx_slice name, const fdet *f1,
                              const fdet *f2)
{
    conflict *c = NEW_ARRAY(o, conflict, 1);
    if (c == NULL)
        return NULL;
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->name = name;
    c->n1 = f1->node;
    c->n2 = f2->node;
    return c;
}

static void push(gqlx_overlap *o, uint32_t a, uint32_t b)
{
    if (!gqlx_arena_grow(o->arena, (void **)&o->stack, &o->stack_cap, o->stack_len + 1,
                         sizeof *o->stack, o->stack_len)) {
        o->failed = true;
        return;
    }
    o->stack[o->stack_len++] = (walk_frame){a, b, 0};
}

static conflict *find_conflict(gqlx_overlap *o, bool parents_exclusive, gqlx_slice name, fdet *f1,
                               fdet *f2);

static const overlap_list *overlapping(gqlx_overlap *o, collected *c1, collected *c2)
{
    bool added;
    pentry *e = pmap_put(o, &o->overlaps, PAIR(c1->id, c2->id), &added);
    if (e == NULL)
        return NULL;
    if (!added)
        return (const overlap_list *)(uintptr_t)e->v;
    uint32_t n = 0;
    for (uint32_t g = 0; g < c1->ngroups; g++) {
        if (!spend(o, 1))
            return NULL;
        n++;
    }
    overlap_list *l = gqlx_arena_alloc(o->arena, sizeof *l + 2u * (size_t)n * sizeof(uint32_t),
                                       _Alignof(overlap_list));
    if (l == NULL) {
        o->failed = true;
        return NULL;
    }
    l->n = 0;
    for (uint32_t g = 0; g < c1->ngroups; g++) {
        gqlx_slice nm = c1->groups[g].name;
        uint32_t h = (uint32_t)name_hash(o, nm) & c2->index_mask;
        for (;;) {
            uint32_t v = c2->index[h];
            if (v == 0)
                break;
            if (gqlx_slice_eq(c2->groups[v - 1].name, nm)) {
                l->pairs[2 * l->n] = g;
                l->pairs[2 * l->n + 1] = v - 1;
                l->n++;
                break;
            }
            h = (h + 1) & c2->index_mask;
        }
    }
    e = pmap_find(o, &o->overlaps, PAIR(c1->id, c2->id));
    e->v = PKEY(l);
    return l;
}

/* graphql-js collectConflictsBetween: every pair of same-named fields,
 * one from each set. */
static void conflicts_between(gqlx_overlap *o, clist *out, bool exclusive, collected *c1,
                              collected *c2)
{
    if (c1->ngroups == 0 || c2->ngroups == 0)
        return;
    const overlap_list *l = overlapping(o, c1, c2);
    if (l == NULL)
        return;
    for (uint32_t k = 0; k < l->n; k++) {
        group *g1 = &c1->groups[l->pairs[2 * k]];
        group *g2 = &c2->groups[l->pairs[2 * k + 1]];
        for (uint32_t i = 0; i < g1->n; i++) {
            for (uint32_t j = 0; j < g2->n; j++) {
                if (halted(o))
                    return;
                clist_add(out, find_conflict(o, exclusive, g1->name, &g1->f[i], &g2->f[j]));
            }
        }
    }
}

/* graphql-js OrderedPairSet.has. */
static bool pair_seen(const gqlx_overlap *o, const pmap *m, uint64_t k, bool exclusive)
{
    const pentry *e = pmap_find(o, m, k);
    if (e == NULL)
        return false;
    return exclusive || e->v == 0;
}

static void pair_note(gqlx_overlap *o, pmap *m, uint64_t k, bool exclusive)
{
    bool added;
    pentry *e = pmap_put(o, m, k, &added);
    if (e != NULL)
        e->v = exclusive;
}

/* One step of collectConflictsBetweenFieldsAndFragment: the fields of c1
 * against fragment id. Returns true when the fragment's own spreads are
 * to be visited next (the caller pushes a frame). */
static bool visit_fields_fragment(gqlx_overlap *o, clist *out, bool exclusive, collected *c1,
                                  uint32_t id)
{
    if (!spend(o, 1) || c1->ngroups == 0)
        return false;
    if (pair_seen(o, &o->fields_frag, PAIR(c1->id, id), exclusive))
        return false;
    pair_note(o, &o->fields_frag, PAIR(c1->id, id), exclusive);
    if (id == UNKNOWN_FRAGMENT(o))
        return false;
    collected *c2 = fragment_fields(o, id);
    if (c2 == NULL)
        return false;
    uint32_t nrefs;
    fragment_spreads(o, c2, &nrefs);
    if (c1 == c2 || halted(o))
        return false;
    conflicts_between(o, out, exclusive, c1, c2);
    return true;
}

/* graphql-js collectConflictsBetweenFieldsAndFragment: the fields of c1
 * against a fragment and, depth first, every fragment it spreads. The
 * recursion runs on the explicit stack (fragment chains may be long). */
static void fields_and_fragment(gqlx_overlap *o, clist *out, bool exclusive, collected *c1,
                                uint32_t frag)
{
    size_t base = o->stack_len;
    if (visit_fields_fragment(o, out, exclusive, c1, frag))
        push(o, frag, 0);
    while (o->stack_len > base && !halted(o)) {
        walk_frame *f = &o->stack[o->stack_len - 1];
        const collected *c2 = o->frag_fields[f->a];
        if (f->next >= c2->nfrags) {
            o->stack_len--;
            continue;
        }
        uint32_t child = c2->frags[f->next++];
        /* f may move: visiting can grow the stack. */
        if (visit_fields_fragment(o, out, exclusive, c1, child))
            push(o, child, 0);
    }
    o->stack_len = base;
}

/* One step of collectConflictsBetweenFragments for fragments a and b.
 * Returns true when the pairs with their spreads are to be visited next. */
static bool visit_fragment_pair(gqlx_overlap *o, clist *out, bool exclusive, uint32_t a,
                                uint32_t b)
{
    if (!spend(o, 2) || a == b)
        return false;
    if (pair_seen(o, &o->frag_pairs, PAIR(a, b), exclusive) ||
        pair_seen(o, &o->frag_pairs, PAIR(b, a), exclusive))
        return false;
    pair_note(o, &o->frag_pairs, PAIR(a, b), exclusive);
    if (a == UNKNOWN_FRAGMENT(o) || b == UNKNOWN_FRAGMENT(o))
        return false;
    collected *c1 = fragment_fields(o, a);
    uint32_t n;
    if (c1 != NULL)
        fragment_spreads(o, c1, &n);
    collected *c2 = fragment_fields(o, b);
    if (c2 != NULL)
        fragment_spreads(o, c2, &n);
    if (c1 == NULL || c2 == NULL || halted(o))
        return false;
    conflicts_between(o, out, exclusive, c1, c2);
    return true;
}

/* graphql-js collectConflictsBetweenFragments: two fragments and, depth
 * first, the first against each fragment the second spreads, then each
 * fragment the first spreads against the second. Pairs are memoised in
 * either order. Runs on the explicit stack. */
static void fragment_pair(gqlx_overlap *o, clist *out, bool exclusive, uint32_t frag1,
                          uint32_t frag2)
{
    size_t base = o->stack_len;
    if (visit_fragment_pair(o, out, exclusive, frag1, frag2))
        push(o, frag1, frag2);
    while (o->stack_len > base && !halted(o)) {
        walk_frame *f = &o->stack[o->stack_len - 1];
        const collected *c1 = o->frag_fields[f->a];
        const collected *c2 = o->frag_fields[f->b];
        if (f->next >= c2->nfrags + c1->nfrags) {
            o->stack_len--;
            continue;
        }
        uint32_t k = f->next++;
        uint32_t a = f->a, b = f->b;
        if (k < c2->nfrags)
            b = c2->frags[k];
        else
            a = c1->frags[k - c2->nfrags];
        if (visit_fragment_pair(o, out, exclusive, a, b))
            push(o, a, b);
    }
    o->stack_len = base;
}

/* graphql-js findConflictsBetweenSubSelectionSets. */
static void between_sub_sets(gqlx_overlap *o, clist *out, bool exclusive, const gqlx_type *t1,
                             const gqlx_selection_set *s1, const gqlx_type *t2,
                             const gqlx_selection_set *s2)
{
    collected *c1 = collect(o, t1, s1);
    uint32_t n1 = 0, n2 = 0;
    const uint32_t *r1 = c1 ? fragment_spreads(o, c1, &n1) : NULL;
    collected *c2 = collect(o, t2, s2);
    const uint32_t *r2 = c2 ? fragment_spreads(o, c2, &n2) : NULL;
    if (c1 == NULL || c2 == NULL || halted(o))
        return;
    conflicts_between(o, out, exclusive, c1, c2);
    for (uint32_t j = 0; j < n2 && !halted(o); j++)
        fields_and_fragment(o, out, exclusive, c1, r2[j]);
    for (uint32_t i = 0; i < n1 && !halted(o); i++)
        fields_and_fragment(o, out, exclusive, c2, r1[i]);
    for (uint32_t i = 0; i < n1; i++)
        for (uint32_t j = 0; j < n2 && !halted(o); j++)
            fragment_pair(o, out, exclusive, r1[i], r2[j]);
}

/* graphql-js findConflict: whether two fields with the same response name
 * can be merged; the conflict found, or NULL. */
static conflict *find_conflict(gqlx_overlap *o, bool parents_exclusive, gqlx_slice name, fdet *f1,
                               fdet *f2)
{
    bool exclusive = parents_exclusive ||
                     (f1->parent != f2->parent && f1->parent != NULL && f2->parent != NULL &&
                      f1->parent->kind == GQLX_TYPE_OBJECT && f2->parent->kind == GQLX_TYPE_OBJECT);
    if (!spend(o, 2))
        return NULL;
    const gqlx_field *n1 = f1->node, *n2 = f2->node;
    if (f1->simple_leaf && f2->simple_leaf && same_type_object(f1->def, f2->def) &&
        gqlx_slice_eq(n1->name, n2->name))
        return NULL;

    field_info(o, f1);
    field_info(o, f2);
    if (!exclusive) {
        if (!gqlx_slice_eq(n1->name, n2->name))
            return new_conflict(o, C_DIFFERENT_FIELDS, name, f1, f2);
        bool same = compared_arguments(o, f1, f2, f1->args, f2->args, CMP_ARGS_KNOWN);
        if (halted(o))
            return NULL;
        if (!same)
            return new_conflict(o, C_DIFFERING_ARGS, name, f1, f2);
    }

    if (f1->stream != NULL || f2->stream != NULL) {
        uint8_t kind = C_STREAM;
        if (f1->stream != NULL && f2->stream != NULL) {
            bool same = compared_arguments(o, f1, f2, f1->stream_args, f2->stream_args,
                                           CMP_STREAM_KNOWN);
            if (halted(o))
                return NULL;
            if (same)
                kind = C_STREAM_SAME_ARGS;
        }
        return new_conflict(o, kind, name, f1, f2);
    }

    if (f1->def != NULL && f2->def != NULL && f1->def != f2->def &&
        types_conflict(o, f1->def->type, f2->def->type)) {
        if (halted(o))
            return NULL;
        conflict *c = new_conflict(o, C_TYPES, name, f1, f2);
        if (c != NULL) {
            c->t1 = f1->def->type;
            c->t2 = f2->def->type;
        }
        return c;
    }
    if (halted(o))
        return NULL;

    if (n1->selection_set != NULL && n2->selection_set != NULL) {
        if (o->depth >= MAX_COMPARE_DEPTH) {
            o->aborted = true;
            return NULL;
        }
        o->depth++;
        clist sub = {0};
        between_sub_sets(o, &sub, exclusive, f1->def ? f1->def->type->named : NULL,
                         n1->selection_set, f2->def ? f2->def->type->named : NULL,
                         n2->selection_set);
        o->depth--;
        if (sub.head == NULL || halted(o))
            return NULL;
        conflict *c = new_conflict(o, C_SUBFIELDS, name, f1, f2);
        if (c != NULL)
            c->children = sub.head;
        return c;
    }
    return NULL;
}

/* ---- reporting -------------------------------------------------------- */

/* Appends a conflict's reason as graphql-js words it; a subfield reason
 * stops after the sub-reason that takes it past MAX_DETAIL and is then
 * cut. Recursion follows the conflict tree (bounded by MAX_COMPARE_DEPTH);
 * each conflict is written at most once per report. */
static void write_reason(gqlx_overlap *o, sbuf *s, const conflict *c)
{
    switch (c->kind) {
    case C_DIFFERENT_FIELDS:
        sb_cstr(o, s, "\"");
        sb_abbrev(o, s, c->n1->name);
        sb_cstr(o, s, "\" and \"");
        sb_abbrev(o, s, c->n2->name);
        sb_cstr(o, s, "\" are different fields");
        break;
    case C_DIFFERING_ARGS:
        sb_cstr(o, s, "they have differing arguments");
        break;
    case C_STREAM:
        sb_cstr(o, s, "they have overlapping stream directives");
        break;
    case C_STREAM_SAME_ARGS:
        sb_cstr(o, s, "they have overlapping stream directives. See "
                      "https://github.com/graphql/defer-stream-wg/discussions/100");
        break;
    case C_TYPES:
        sb_cstr(o, s, "they return conflicting types \"");
        sb_type(o, s, c->t1);
        sb_cstr(o, s, "\" and \"");
        sb_type(o, s, c->t2);
        sb_cstr(o, s, "\"");
        break;
    default: {
        size_t start = s->len;
        for (const conflict *ch = c->children; ch != NULL && !o->failed; ch = ch->next) {
            if (ch != c->children)
                sb_cstr(o, s, " and ");
            sb_cstr(o, s, "subfields \"");
            sb_abbrev(o, s, ch->name);
            sb_cstr(o, s, "\" conflict because ");
            write_reason(o, s, ch);
            if (s->len - start > MAX_DETAIL)
                break;
        }
        if (!o->failed && s->len - start > MAX_DETAIL) {
            s->len = start + MAX_DETAIL;
            sb_cstr(o, s, "...");
        }
        break;
    }
    }
}

/* graphql-js collectConflictNodes: the field on one side, then the last
 * nodes of each sub-conflict's list on that side, MAX_NODES at most.
 * Writes offsets to out; returns how many. */
static uint32_t conflict_nodes(const conflict *c, int side, uint32_t *out)
{
    uint32_t n = 0;
    out[n++] = side == 1 ? c->n1->base.start : c->n2->base.start;
    for (const conflict *ch = c->children; ch != NULL; ch = ch->next) {
        uint32_t sub[MAX_NODES];
        uint32_t k = conflict_nodes(ch, side, sub);
        uint32_t keep = MAX_NODES - n;
        uint32_t from = k > keep ? k - keep : 0;
        for (uint32_t i = from; i < k; i++)
            out[n++] = sub[i];
        if (n == MAX_NODES)
            break;
    }
    return n;
}

static bool report_conflict(gqlx_overlap *o, const conflict *c)
{
    sbuf *s = &o->msg;
    s->len = 0;
    sb_cstr(o, s, "Fields \"");
    sb_abbrev(o, s, c->name);
    sb_cstr(o, s, "\" conflict because ");
    write_reason(o, s, c);
    sb_cstr(o, s, ". Use different aliases on the fields to fetch both if this was "
                  "intentional.");
    sb_put(o, s, "", 1); /* NUL */
    if (o->failed)
        return false;
    uint32_t offsets[2 * MAX_NODES];
    uint32_t n = conflict_nodes(c, 1, offsets);
    n += conflict_nodes(c, 2, offsets + n);
    return o->report(o->user, s->p, offsets, n);
}

/* ---- entry points ----------------------------------------------------- */

gqlx_overlap *gqlx_overlap_new(gqlx_arena *arena, const gqlx_schema *schema,
                               const gqlx_document *doc, gqlx_overlap_report_fn *report,
                               void *user)
{
    if (arena == NULL || doc == NULL || report == NULL)
        return NULL;
    gqlx_overlap *o = GQLX_NEW(arena, gqlx_overlap);
    if (o == NULL)
        return NULL;
    o->arena = arena;
    o->schema = schema;
    o->report = report;
    o->user = user;
    o->seed = gqlx_hash_seed();
    gqlx_intern_init(&o->value_keys, arena, o->seed);
    o->budget = COMPLEXITY_BUDGET;
    if (!index_fragments(o, doc))
        return NULL;
    for (uint32_t i = 0; i < doc->definitions.count && !o->failed; i++) {
        const gqlx_node *d = doc->definitions.items[i];
        if (d->kind == GQLX_KIND_OPERATION_DEFINITION)
            mark_inline_sets(o, GQLX_AS_CONST(gqlx_operation_def, d)->selection_set);
        else if (d->kind == GQLX_KIND_FRAGMENT_DEFINITION)
            mark_inline_sets(o, GQLX_AS_CONST(gqlx_fragment_def, d)->selection_set);
    }
    return o->failed ? NULL : o;
}

bool gqlx_overlap_check(gqlx_overlap *o, const gqlx_selection_set *set,
                        const gqlx_type *parent_type)
{
    if (o == NULL || o->stopped)
        return false;
    if (set == NULL)
        return true;
    /* Where graphql-js's rule looks: not the sets of inline fragments, and
     * not sets of one selection unless it is an inline fragment. */
    if (pmap_find(o, &o->inline_sets, PKEY(set)) != NULL)
        return true;
    uint32_t count = set->selections.count;
    if (count == 0 || (count == 1 && set->selections.items[0]->kind != GQLX_KIND_INLINE_FRAGMENT))
        return true;

    /* graphql-js findConflictsWithinSelectionSet. */
    clist found = {0};
    collected *c = collect(o, parent_type, set);
    if (c != NULL) {
        for (uint32_t g = 0; g < c->ngroups && !halted(o); g++) {
            group *gr = &c->groups[g];
            for (uint32_t i = 0; i < gr->n && !halted(o); i++)
                for (uint32_t j = i + 1; j < gr->n && !halted(o); j++)
                    clist_add(&found, find_conflict(o, false, gr->name, &gr->f[i], &gr->f[j]));
        }
        if (!halted(o) && c->nspreads != 0 && (c->ngroups != 0 || c->nspreads > 1)) {
            uint32_t n;
            const uint32_t *frags = fragment_spreads(o, c, &n);
            for (uint32_t i = 0; i < n && !halted(o); i++) {
                fields_and_fragment(o, &found, false, c, frags[i]);
                for (uint32_t j = i + 1; j < n && !halted(o); j++)
                    fragment_pair(o, &found, false, frags[i], frags[j]);
            }
        }
    }
    if (halted(o) || gqlx_arena_failed(o->arena)) {
        o->failed = o->failed || gqlx_arena_failed(o->arena);
        o->stopped = true;
        return false;
    }
    for (const conflict *k = found.head; k != NULL; k = k->next) {
        if (!report_conflict(o, k)) {
            o->stopped = true;
            return false;
        }
    }
    return true;
}

bool gqlx_overlap_aborted(const gqlx_overlap *o)
{
    return o != NULL && o->aborted;
}
