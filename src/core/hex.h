/* src/core/hex.h — the value of a hexadecimal digit, for every decoder of
 * escapes (percent-encoding, GraphQL and JSON \u escapes). */
#ifndef GQLX_HEX_H
#define GQLX_HEX_H

/* The value 0..15 of the digit c ('0'-'9', 'a'-'f', 'A'-'F'), or -1 when c
 * is not one (any int, EOF included, is safe to pass). */
static inline int gqlx_hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
