/* src/core/suggest.h — "Did you mean ...?" suggestions, as graphql-js makes them.
 *
 * graphql-js suggests names close to a mistyped one (suggestionList) and
 * formats them into messages (didYouMean, orList/andList). Several layers
 * (SDL validation, schema validation, query validation, input coercion)
 * quote these suggestions in their messages, so the selection and the order
 * must be the reference's exactly:
 *   - an option is kept when its lexical distance to the input is at most
 *     floor(0.4 * length(input)) + 1; distance is the optimal string
 *     alignment distance (Damerau-Levenshtein with adjacent transpositions)
 *     on the lower-cased strings, except that an exact match is 0 and a
 *     match differing only in case is 1;
 *   - options are sorted by distance, then by graphql-js's naturalCompare
 *     (runs of digits compare as numbers);
 *   - duplicates among the options are kept once;
 *   - didYouMean quotes at most GQLX_MAX_SUGGESTIONS of them.
 * Lengths count UTF-16 code units as JavaScript does. Lower-casing is ASCII
 * only (JavaScript would also fold non-ASCII letters; GraphQL names are
 * ASCII, so this matters only for free-form input strings). */
#ifndef GQLX_SUGGEST_H
#define GQLX_SUGGEST_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/slice.h"

/* Most suggestions quoted by gqlx_did_you_mean (graphql-js MAX_SUGGESTIONS). */
#define GQLX_MAX_SUGGESTIONS 5

/* graphql-js naturalCompare: <0, 0 or >0 as a sorts before, equal to or
 * after b. Bytes compare by value (UTF-8 order equals UTF-16 order for the
 * ASCII text this is used on). */
int gqlx_natural_compare(gqlx_slice a, gqlx_slice b);

/* The lexical distance between input and option, or -1 when it exceeds
 * threshold. scratch provides temporary rows; returns -1 too if it fails. */
long gqlx_lexical_distance(gqlx_arena *scratch, gqlx_slice input, gqlx_slice option,
                           size_t threshold);

/* graphql-js suggestionList: stores in *out (an array allocated in arena,
 * which may be the same as scratch memory the caller resets later) the
 * options close to input, best first, and returns how many. Returns 0 with
 * *out NULL when nothing matches or memory fails (check
 * gqlx_arena_failed). Work is O(n * len(input) * len(option)) with early
 * exits; the sort is O(m log m). */
size_t gqlx_suggestion_list(gqlx_arena *arena, gqlx_slice input, const gqlx_slice *options,
                            size_t n, gqlx_slice **out);

/* graphql-js didYouMean: appends nothing when n is 0, otherwise
 * ` Did you mean [sub_message ]"A", "B", or "C"?` quoting at most
 * GQLX_MAX_SUGGESTIONS items. sub_message may be NULL. */
void gqlx_did_you_mean(gqlx_buf *out, const char *sub_message, const gqlx_slice *suggestions,
                       size_t n);

/* graphql-js orList / andList on already formatted items: "A", "A or B",
 * "A, B, or C". n must be at least 1 (nothing is appended for 0). */
void gqlx_format_list(gqlx_buf *out, const char *conjunction, const gqlx_slice *items, size_t n);

#endif
