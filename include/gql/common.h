/* include/gql/common.h — export macros shared by every public header. */
#ifndef GQL_COMMON_H
#define GQL_COMMON_H

#include <stddef.h>

#if defined(GQL_BUILDING) && defined(__GNUC__)
#define GQL_EXTERN __attribute__((visibility("default")))
#else
#define GQL_EXTERN
#endif

#ifdef __cplusplus
#define GQL_BEGIN_DECLS extern "C" {
#define GQL_END_DECLS }
#else
#define GQL_BEGIN_DECLS
#define GQL_END_DECLS
#endif

#endif
