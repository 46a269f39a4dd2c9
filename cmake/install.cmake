# cmake/install.cmake — what `cmake --install` (and `make install`) puts under
# the prefix: the public headers, libgql (static and shared), the gqld
# daemon, a pkg-config file and a CMake package so that consumers can use
# either `pkg-config gql` or `find_package(gql)`. Nothing under src/ is
# installed.
#
# Layout under the prefix:
#   bin/gqld
#   include/gql/*.h                 (include/gql/ plus the generated version.h)
#   lib/libgql.a, lib/libgql.so -> libgql.so.MAJOR -> libgql.so.X.Y.Z
#   lib/pkgconfig/gql.pc
#   lib/cmake/gql/gqlConfig.cmake, gqlConfigVersion.cmake, gqlTargets*.cmake
#
# CMake target names seen by consumers (namespace gql::):
#   gql::gql_shared   libgql.so
#   gql::gql_static   libgql.a (brings -lm and Threads::Threads along)
#   gql::gql          convenience: the shared library, or the static one
#                     when the consumer sets GQL_PREFER_STATIC to ON before
#                     find_package(gql) (see cmake/gqlConfig.cmake.in)
include(CMakePackageConfigHelpers)

set(GQL_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/gql
    CACHE STRING "Where gqlConfig.cmake is installed, relative to the prefix")

# ---- headers ---------------------------------------------------------------
# Only include/gql/*.h: the .in templates stay behind and the generated
# version.h comes from the build tree.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/gql/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gql
        COMPONENT devel
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/gql/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gql
        COMPONENT devel)

# ---- libraries -------------------------------------------------------------
install(TARGETS gql_static gql_shared
        EXPORT gqlTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT devel
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
                NAMELINK_COMPONENT devel
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
# (The include directory reaches consumers through the targets'
# $<INSTALL_INTERFACE:include> in CMakeLists.txt.)

# ---- the daemon --------------------------------------------------------------
install(TARGETS gqld RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

# ---- pkg-config ----------------------------------------------------------------
# The .pc file locates the prefix from its own directory (${pcfiledir}), so
# it stays right whatever --prefix or DESTDIR the install is run with and if
# the tree is moved later. Absolute LIBDIR/INCLUDEDIR are used as given.
set(GQL_PC_LIBDIR_DEST ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(GQL_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH GQL_PC_UP "/gql-prefix/${GQL_PC_LIBDIR_DEST}" "/gql-prefix")
  string(REGEX REPLACE "/+$" "" GQL_PC_UP "${GQL_PC_UP}")
  set(GQL_PC_PREFIX "\${pcfiledir}/${GQL_PC_UP}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(GQL_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(GQL_PC_LIBDIR "\${exec_prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(GQL_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(GQL_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/gql.pc.in ${PROJECT_BINARY_DIR}/gql.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/gql.pc DESTINATION ${GQL_PC_LIBDIR_DEST} COMPONENT devel)

# ---- CMake package ---------------------------------------------------------------
install(EXPORT gqlTargets
        NAMESPACE gql::
        DESTINATION ${GQL_INSTALL_CMAKEDIR}
        COMPONENT devel)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gqlConfig.cmake.in
  ${PROJECT_BINARY_DIR}/gqlConfig.cmake
  INSTALL_DESTINATION ${GQL_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)

# Before 1.0 a minor release may break the API, so 0.x only matches the
# same minor version; from 1.0 on, any release of the same major does.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(GQL_VERSION_COMPAT SameMinorVersion)
else()
  set(GQL_VERSION_COMPAT SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gqlConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY ${GQL_VERSION_COMPAT})

install(FILES ${PROJECT_BINARY_DIR}/gqlConfig.cmake
              ${PROJECT_BINARY_DIR}/gqlConfigVersion.cmake
        DESTINATION ${GQL_INSTALL_CMAKEDIR}
        COMPONENT devel)
