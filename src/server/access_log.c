/* src/server/access_log.c — one log line per answered request: peer,
 * request line, status, body bytes sent and time taken. */
#include <stdio.h>
#include <string.h>

#include "server/server_internal.h"

/* Copies s into out, escaping what could forge or garble a log line
 * (control bytes, quotes, backslashes, bytes above 0x7e) as \xHH, and
 * cutting it with "..." when out is full. */
static void sanitize(const char *s, char *out, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        size_t need = plain ? 1 : 4;
        if (o + need + 4 > size) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (plain) {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
}

void gqlx_access_log(const gql_http_request *req, int status, size_t bytes,
                     unsigned long long micros)
{
    char target[512], method[32];
    sanitize(req->target, target, sizeof target);
    sanitize(req->method, method, sizeof method);
    gqlx_server_log(req->server, "%s \"%s %s HTTP/1.%u\" %d %zu %llu.%03llums",
                    req->remote_addr[0] ? req->remote_addr : "-", method, target, req->http_minor,
                    status, bytes, micros / 1000u, micros % 1000u);
}
