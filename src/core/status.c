/* src/core/status.c — text for the result codes of include/gql/status.h. */
#include "gql/gql.h"

const char *gql_strerror(int status)
{
    switch (status) {
    case GQL_OK:
        return "success";
#define GQL_STATUS_TEXT(name, value, text) \
    case value:                            \
        return text;
        GQL_STATUS_LIST(GQL_STATUS_TEXT)
#undef GQL_STATUS_TEXT
    default:
        return "unknown status";
    }
}

const char *gql_status_name(int status)
{
    switch (status) {
    case GQL_OK:
        return "OK";
#define GQL_STATUS_NAME(name, value, text) \
    case value:                            \
        return #name;
        GQL_STATUS_LIST(GQL_STATUS_NAME)
#undef GQL_STATUS_NAME
    default:
        return "UNKNOWN";
    }
}

const char *gql_version(void)
{
    return GQL_VERSION_STRING;
}
