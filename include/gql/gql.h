/* include/gql/gql.h — the umbrella header of libgql.
 *
 * Including it brings in every public header. The library's version is
 * available both at compile time (GQL_VERSION_*) and at run time
 * (gql_version()), so a program can check that they agree. */
#ifndef GQL_GQL_H
#define GQL_GQL_H

#include "gql/common.h"
#include "gql/version.h"
#include "gql/status.h"
#include "gql/errors.h"
#include "gql/document.h"
#include "gql/schema.h"
#include "gql/validate.h"
#include "gql/json.h"
#include "gql/value.h"
#include "gql/resolve.h"
#include "gql/builder.h"
#include "gql/async.h"
#include "gql/exec.h"
#include "gql/upload.h"
#include "gql/jwt.h"

GQL_BEGIN_DECLS

/* Returns the version of the linked library as "MAJOR.MINOR.PATCH". */
GQL_EXTERN const char *gql_version(void);

GQL_END_DECLS

#endif
