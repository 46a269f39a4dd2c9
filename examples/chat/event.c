/* examples/chat/event.c — writes messages as JSON events and reads them
 * back. */
#include "event.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends s as a JSON string. Bytes at or above 0x80 are UTF-8 already
 * checked by the GraphQL engine or stored by it, so they pass through. */
static char *put_string(char *out, chat_str s)
{
    static const char hex[] = "0123456789abcdef";
    *out++ = '"';
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        if (ch == '"' || ch == '\\') {
            *out++ = '\\';
            *out++ = (char)ch;
        } else if (ch < 0x20) {
            memcpy(out, "\\u00", 4);
            out[4] = hex[ch >> 4];
            out[5] = hex[ch & 15];
            out += 6;
        } else {
            *out++ = (char)ch;
        }
    }
    *out++ = '"';
    return out;
}

static char *put_member(char *out, const char *key, chat_str value)
{
    size_t n = strlen(key);
    memcpy(out, key, n);
    return put_string(out + n, value);
}

char *chat_event_json(const chat_message *m, size_t *len)
{
    char id[24];
    int id_len = snprintf(id, sizeof id, "%" PRId64, m->id);
    chat_str id_str = {id, (size_t)id_len};
    /* Each byte takes at most six (\u00XX); the keys and punctuation less
     * than 128. */
    size_t cap = 128 + 6 * (m->content.len + m->from.id.len + m->from.display_name.len +
                            m->sent_at.len + (size_t)id_len);
    char *text = malloc(cap);
    if (text == NULL)
        return NULL;
    char *out = text;
    out = put_member(out, "{\"id\":", id_str);
    out = put_member(out, ",\"content\":", m->content);
    out = put_member(out, ",\"fromId\":", m->from.id);
    out = put_member(out, ",\"displayName\":", m->from.display_name);
    out = put_member(out, ",\"sentAt\":", m->sent_at);
    *out++ = '}';
    *out = '\0';
    *len = (size_t)(out - text);
    return text;
}

static int member_str(const gql_json *event, const char *key, chat_str *out)
{
    const gql_json *v = gql_json_member(event, key);
    if (gql_json_type(v) != GQL_JSON_STRING)
        return -1;
    out->ptr = gql_json_string(v, &out->len);
    return 0;
}

chat_message *chat_event_message(const gql_json *event, chat_alloc a)
{
    chat_str id;
    chat_message *m = a.fn(a.ctx, sizeof *m);
    if (m == NULL || member_str(event, "id", &id) != 0 || id.len == 0 || id.len > 18)
        return NULL;
    memset(m, 0, sizeof *m);
    for (size_t i = 0; i < id.len; i++) {
        if (id.ptr[i] < '0' || id.ptr[i] > '9')
            return NULL;
        m->id = m->id * 10 + (id.ptr[i] - '0');
    }
    m->from.message_count = -1;
    if (member_str(event, "content", &m->content) != 0 ||
        member_str(event, "fromId", &m->from.id) != 0 ||
        member_str(event, "displayName", &m->from.display_name) != 0 ||
        member_str(event, "sentAt", &m->sent_at) != 0)
        return NULL;
    return m;
}

int chat_event_filter(const gql_json *event, const gql_json *args, void *data)
{
    (void)data;
    const gql_json *want = gql_json_member(args, "fromId");
    if (gql_json_type(want) != GQL_JSON_STRING)
        return 1;
    chat_str from;
    if (member_str(event, "fromId", &from) != 0)
        return 0;
    size_t len;
    const char *s = gql_json_string(want, &len);
    return len == from.len && memcmp(s, from.ptr, len) == 0;
}
