/* src/execution/upload.c — resolvers' access to the files uploaded with
 * their request (include/gql/upload.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "execution/engine.h"
#include "gql/status.h"
#include "gql/upload.h"

/* The reference is read from the coerced argument, so it has the shape the
 * upload layer wrote: an object whose only member is "$upload" holding a
 * non-negative integer. Anything else — a string, a forged reference to an
 * index this request does not have — finds nothing, which keeps a request
 * from reaching past its own table. */
const gql_upload *gql_upload_from_json(const gql_info *info, const gql_json *value)
{
    if (info == NULL || value == NULL || gql_json_type(value) != GQL_JSON_OBJECT ||
        gql_json_length(value) != 1)
        return NULL;
    const gql_json *index = gql_json_member(value, "$upload");
    if (index == NULL || !gql_json_is_int(index))
        return NULL;
    int64_t i = gql_json_int(index);
    const gqlx_exec *x = info->x;
    if (i < 0 || x->uploads == NULL || (uint64_t)i >= (uint64_t)x->upload_count)
        return NULL;
    return &x->uploads[i];
}

const gql_upload *gql_upload_from_value(const gql_info *info, gql_value value)
{
    if (value.kind != GQL_VALUE_JSON)
        return NULL;
    return gql_upload_from_json(info, value.u.json);
}

const gql_upload *gql_arg_upload(const gql_info *info, const char *name)
{
    if (info == NULL || name == NULL)
        return NULL;
    return gql_upload_from_json(info, gql_arg(info, name));
}

size_t gql_upload_count(const gql_info *info)
{
    return info != NULL && info->x->uploads != NULL ? info->x->upload_count : 0;
}

const gql_upload *gql_upload_at(const gql_info *info, size_t i)
{
    if (i >= gql_upload_count(info))
        return NULL;
    return &info->x->uploads[i];
}

int gql_upload_read(const gql_upload *upload, size_t offset, void *buf, size_t len, size_t *nread)
{
    if (nread != NULL)
        *nread = 0;
    if (upload == NULL || (buf == NULL && len > 0))
        return GQL_EINVAL;
    if (offset >= upload->size || len == 0)
        return GQL_OK;
    size_t want = upload->size - offset < len ? upload->size - offset : len;
    if (upload->data != NULL) {
        memcpy(buf, upload->data + offset, want);
        if (nread != NULL)
            *nread = want;
        return GQL_OK;
    }
    /* pread leaves the descriptor's offset alone, so resolvers on several
     * threads may read one file at once. */
    size_t got = 0;
    while (got < want) {
        ssize_t r = pread(upload->fd, (char *)buf + got, want - got, (off_t)(offset + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (nread != NULL)
                *nread = got;
            return GQL_EIO;
        }
        got += (size_t)r;
    }
    if (nread != NULL)
        *nread = got;
    return GQL_OK;
}
