# cmake/ui.cmake — the browser UI (GraphiQL and GraphQL Voyager) built into
# gqld: ui/build.mjs bundles the pinned npm packages of ui/ with esbuild into
# <build>/ui/files and writes <build>/ui/gql_ui_assets.c, which embeds them
# (.incbin) and defines gql_ui_assets() (include/gql/ui.h). The static
# library gql_ui_assets holds them; gqld links it. libgql never needs Node.js:
# without node or ui/node_modules (scripts/setup installs them), gqld is built
# without the files and its UI pages answer 503 saying so.
option(GQL_UI "Bundle the browser UI into gqld when Node.js and ui/node_modules exist" ON)

find_program(GQL_NODE_EXECUTABLE node)
set(GQL_UI_DIR ${PROJECT_SOURCE_DIR}/ui)
if(GQL_UI AND NOT GQL_FUZZ AND GQL_NODE_EXECUTABLE AND EXISTS ${GQL_UI_DIR}/node_modules/esbuild)
  set(GQL_UI_OUT ${PROJECT_BINARY_DIR}/ui)
  file(GLOB GQL_UI_SOURCES CONFIGURE_DEPENDS ${GQL_UI_DIR}/src/*)
  add_custom_command(
    OUTPUT ${GQL_UI_OUT}/gql_ui_assets.c
    COMMAND ${GQL_NODE_EXECUTABLE} ${GQL_UI_DIR}/build.mjs ${GQL_UI_OUT}
    DEPENDS ${GQL_UI_DIR}/build.mjs ${GQL_UI_DIR}/package.json ${GQL_UI_DIR}/package-lock.json
            ${GQL_UI_SOURCES}
    COMMENT "Bundling the browser UI (GraphiQL, GraphQL Voyager)"
    VERBATIM)
  add_library(gql_ui_assets STATIC ${GQL_UI_OUT}/gql_ui_assets.c)
  target_include_directories(gql_ui_assets PUBLIC
    ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
  target_link_libraries(gqld PRIVATE gql_ui_assets)
  target_compile_definitions(gqld PRIVATE GQLD_HAVE_UI=1)
  message(STATUS "gqld: the browser UI is bundled from ui/")
else()
  message(STATUS "gqld: built without the browser UI (needs node and ui/node_modules: "
                 "run scripts/setup)")
endif()
