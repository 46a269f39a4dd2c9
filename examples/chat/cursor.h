/* examples/chat/cursor.h — opaque pagination cursors.
 *
 * A cursor stands for a message's position: the base64 of "message:ID",
 * which clients should treat as opaque, so the encoding may change. */
#ifndef CHAT_CURSOR_H
#define CHAT_CURSOR_H

#include <stddef.h>
#include <stdint.h>

/* The longest cursor, NUL included. */
#define CHAT_CURSOR_MAX 48

/* Writes the cursor of message id into out (NUL-terminated); returns its
 * length. */
size_t chat_cursor_encode(int64_t id, char out[CHAT_CURSOR_MAX]);

/* The message id a cursor stands for, or -1 when s[0..len) is not a
 * cursor this program made. */
int64_t chat_cursor_decode(const char *s, size_t len);

#endif
