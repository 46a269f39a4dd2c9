/* src/core/hash.h — fast 64-bit hashing of byte strings.
 *
 * gqlx_hash mixes 16 bytes per step with 64x64->128-bit multiplications.
 * Tables keyed by outside input (query texts, JSON object keys) pass a
 * per-process random seed (gqlx_hash_seed()) so that an attacker cannot
 * precompute colliding keys; tables built from trusted text may use 0. */
#ifndef GQLX_HASH_H
#define GQLX_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t gqlx_hash(const void *data, size_t len, uint64_t seed);

/* A random seed chosen once per process (from getrandom, falling back to
 * time and address entropy). Thread-safe. */
uint64_t gqlx_hash_seed(void);

#endif
