/* examples/chat/schema_sdl.h — the text of schema.graphql, compiled into
 * the program (embed.cmake generates its definition). */
#ifndef CHAT_SCHEMA_SDL_H
#define CHAT_SCHEMA_SDL_H

#include <stddef.h>

/* Unsigned bytes, since the text is UTF-8: pass it on as (const char *). */
extern const unsigned char chat_schema_sdl[];
extern const size_t chat_schema_sdl_len;

#endif
