/* src/server/media_type.c — Content-Type classification and Accept
 * negotiation for GraphQL over HTTP. */
#include "server/media_type.h"

#include <string.h>
#include <strings.h>

#include "server/http.h"

/* One media type or media range as read from a header. */
typedef struct media_range {
    gqlx_slice type, subtype;
    gqlx_slice charset;
    bool has_charset;
    int q;      /* weight in thousandths, 0..1000 */
    bool bad_q; /* a q parameter that is not a qvalue */
} media_range;

static void skip_ows(const char *s, size_t len, size_t *i)
{
    while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
        (*i)++;
}

static gqlx_slice read_token(const char *s, size_t len, size_t *i)
{
    size_t start = *i;
    while (*i < len && gqlx_http_tchar(s[*i]))
        (*i)++;
    return gqlx_slice_make(s + start, *i - start);
}

static bool slice_ieq(gqlx_slice a, const char *lit)
{
    size_t n = strlen(lit);
    return a.len == n && strncasecmp(a.ptr, lit, n) == 0;
}

/* A qvalue (RFC 9110 section 12.4.2) in thousandths, or -1. */
static int parse_q(gqlx_slice v)
{
    if (v.len == 0 || (v.ptr[0] != '0' && v.ptr[0] != '1'))
        return -1;
    int q = (v.ptr[0] - '0') * 1000;
    if (v.len == 1)
        return q;
    if (v.ptr[1] != '.' || v.len > 5)
        return -1;
    int scale = 100;
    for (size_t i = 2; i < v.len; i++, scale /= 10) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            return -1;
        q += (v.ptr[i] - '0') * scale;
    }
    return q <= 1000 ? q : -1;
}

/* Skips to the next ';' or (in a list) ',' outside a quoted string. */
static void skip_junk(const char *s, size_t len, size_t *i, bool list)
{
    bool quoted = false;
    for (; *i < len; (*i)++) {
        char c = s[*i];
        if (quoted) {
            if (c == '\\' && *i + 1 < len)
                (*i)++;
            else if (c == '"')
                quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ';' || (list && c == ',')) {
            return;
        }
    }
}

/* Reads one media type (or, in a list, one range) from s[*i..len). Stops
 * at the end or, in a list, at the ',' ending the element (not consumed).
 * Returns false when type "/" subtype is missing or malformed; *i then
 * rests at the end of the element all the same. */
static bool read_range(const char *s, size_t len, size_t *i, bool list, media_range *r)
{
    r->has_charset = false;
    r->charset = gqlx_slice_make(s, 0);
    r->q = 1000;
    r->bad_q = false;
    skip_ows(s, len, i);
    r->type = read_token(s, len, i);
    bool ok = r->type.len > 0 && *i < len && s[*i] == '/';
    if (ok) {
        (*i)++;
        r->subtype = read_token(s, len, i);
        ok = r->subtype.len > 0;
    }
    skip_ows(s, len, i);
    if (!ok || (*i < len && s[*i] != ';' && !(list && s[*i] == ','))) {
        skip_junk(s, len, i, list);
        ok = false;
    }
    /* Parameters: name=value pairs after ';'. */
    while (*i < len && s[*i] == ';') {
        (*i)++;
        skip_ows(s, len, i);
        gqlx_slice name = read_token(s, len, i);
        if (name.len == 0 || *i >= len || s[*i] != '=') {
            skip_junk(s, len, i, list);
            continue;
        }
        (*i)++;
        gqlx_slice value;
        if (*i < len && s[*i] == '"') {
            size_t start = ++(*i);
            while (*i < len && s[*i] != '"')
                *i += (s[*i] == '\\' && *i + 1 < len) ? 2 : 1;
            value = gqlx_slice_make(s + start, (*i < len ? *i : len) - start);
            if (*i < len)
                (*i)++;
        } else {
            value = read_token(s, len, i);
        }
        skip_ows(s, len, i);
        if (*i < len && s[*i] != ';' && !(list && s[*i] == ',')) {
            skip_junk(s, len, i, list);
            continue;
        }
        if (slice_ieq(name, "charset")) {
            r->charset = value;
            r->has_charset = true;
        } else if (list && slice_ieq(name, "q")) {
            int q = parse_q(value);
            if (q < 0)
                r->bad_q = true;
            else
                r->q = q;
        }
    }
    return ok;
}

bool gqlx_media_type_parse(const char *s, size_t len, gqlx_media_type *out)
{
    size_t i = 0;
    media_range r;
    if (!read_range(s, len, &i, false, &r))
        return false;
    out->type = r.type;
    out->subtype = r.subtype;
    out->charset = r.charset;
    out->has_charset = r.has_charset;
    return true;
}

static bool charset_is_utf8(gqlx_slice cs)
{
    return slice_ieq(cs, "utf-8") || slice_ieq(cs, "utf8");
}

static gqlx_body_kind body_kind(const char *content_type, bool *charset_ok);

/* Like the Accept header, a client sends the same Content-Type every time:
 * each thread remembers its last answer. */
gqlx_body_kind gqlx_media_body_kind(const char *content_type, bool *charset_ok)
{
    static _Thread_local char last[96];
    static _Thread_local gqlx_body_kind last_kind;
    static _Thread_local bool last_charset_ok;
    bool ok = true;
    if (content_type == NULL)
        return body_kind(NULL, charset_ok);
    size_t len = strlen(content_type);
    gqlx_body_kind kind;
    if (len < sizeof last && last[0] != '\0' && strcmp(last, content_type) == 0) {
        kind = last_kind;
        ok = last_charset_ok;
    } else {
        kind = body_kind(content_type, &ok);
        if (len > 0 && len < sizeof last) {
            memcpy(last, content_type, len + 1);
            last_kind = kind;
            last_charset_ok = ok;
        }
    }
    if (charset_ok != NULL)
        *charset_ok = ok;
    return kind;
}

static gqlx_body_kind body_kind(const char *content_type, bool *charset_ok)
{
    if (charset_ok != NULL)
        *charset_ok = true;
    if (content_type == NULL)
        return GQLX_BODY_NONE;
    gqlx_media_type mt;
    if (!gqlx_media_type_parse(content_type, strlen(content_type), &mt))
        return GQLX_BODY_INVALID;
    if (charset_ok != NULL && mt.has_charset)
        *charset_ok = charset_is_utf8(mt.charset);
    if (slice_ieq(mt.type, "application")) {
        if (slice_ieq(mt.subtype, "json"))
            return GQLX_BODY_JSON;
        if (slice_ieq(mt.subtype, "graphql"))
            return GQLX_BODY_GRAPHQL;
        if (slice_ieq(mt.subtype, "x-www-form-urlencoded"))
            return GQLX_BODY_FORM;
    } else if (slice_ieq(mt.type, "multipart")) {
        if (slice_ieq(mt.subtype, "form-data"))
            return GQLX_BODY_MULTIPART;
    } else if (slice_ieq(mt.type, "text")) {
        if (slice_ieq(mt.subtype, "plain"))
            return GQLX_BODY_TEXT;
    }
    return GQLX_BODY_OTHER;
}

bool gqlx_media_is_cors_simple(gqlx_body_kind kind)
{
    return kind == GQLX_BODY_NONE || kind == GQLX_BODY_FORM || kind == GQLX_BODY_MULTIPART ||
           kind == GQLX_BODY_TEXT;
}

/* How well a range matches application/<subtype>: 3 exact, 2
 * application/<star>, 1 <star>/<star>, 0 not at all. */
static int specificity(const media_range *r, const char *subtype)
{
    if (r->has_charset && !charset_is_utf8(r->charset))
        return 0;
    if (slice_ieq(r->type, "*"))
        return slice_ieq(r->subtype, "*") ? 1 : 0;
    if (!slice_ieq(r->type, "application"))
        return 0;
    if (slice_ieq(r->subtype, "*"))
        return 2;
    return slice_ieq(r->subtype, subtype) ? 3 : 0;
}

static gqlx_response_type choose_response(const char *accept);

/* Clients send the same Accept header with every request, so each thread
 * remembers its last answer. */
gqlx_response_type gqlx_media_choose_response(const char *accept)
{
    static _Thread_local char last[128];
    static _Thread_local gqlx_response_type last_type;
    if (accept == NULL)
        return choose_response(NULL);
    size_t len = strlen(accept);
    if (len < sizeof last && last[0] != '\0' && strcmp(last, accept) == 0)
        return last_type;
    gqlx_response_type t = choose_response(accept);
    if (len > 0 && len < sizeof last) {
        memcpy(last, accept, len + 1);
        last_type = t;
    }
    return t;
}

static gqlx_response_type choose_response(const char *accept)
{
    static const char *const subtypes[2] = {"graphql-response+json", "json"};
    int best_spec[2] = {0, 0}, best_q[2] = {0, 0};
    bool any = false;
    if (accept != NULL) {
        size_t len = strlen(accept), i = 0;
        while (i < len) {
            media_range r;
            bool ok = read_range(accept, len, &i, true, &r);
            if (i < len)
                i++; /* the ',' */
            if (!ok || r.bad_q)
                continue;
            any = true;
            for (int c = 0; c < 2; c++) {
                int s = specificity(&r, subtypes[c]);
                /* The most specific matching range decides; among equally
                 * specific ones, the highest weight. */
                if (s > best_spec[c] || (s > 0 && s == best_spec[c] && r.q > best_q[c])) {
                    best_spec[c] = s;
                    best_q[c] = r.q;
                }
            }
        }
    }
    if (!any)
        return GQLX_RESPONSE_JSON;
    int gq = best_q[0], jq = best_q[1];
    if (gq == 0 && jq == 0)
        return GQLX_RESPONSE_NONE;
    if (gq != jq)
        return gq > jq ? GQLX_RESPONSE_GRAPHQL : GQLX_RESPONSE_JSON;
    /* Equal weights: the graphql-response type only when named. */
    return best_spec[0] == 3 ? GQLX_RESPONSE_GRAPHQL : GQLX_RESPONSE_JSON;
}

const char *gqlx_media_response_content_type(gqlx_response_type t)
{
    switch (t) {
    case GQLX_RESPONSE_JSON:
        return "application/json; charset=utf-8";
    case GQLX_RESPONSE_GRAPHQL:
        return "application/graphql-response+json; charset=utf-8";
    default:
        return NULL;
    }
}
