# The example programs, built against the public headers only.
add_executable(hello ${PROJECT_SOURCE_DIR}/examples/hello/hello.c)
target_link_libraries(hello PRIVATE gql_static)
set_target_properties(hello PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/examples)
if(GQL_TESTS)
  add_test(NAME examples/hello COMMAND hello)
  set_tests_properties(examples/hello PROPERTIES
    PASS_REGULAR_EXPRESSION "^\\{\"data\":\\{\"hero\":\"Luke Skywalker\"\\}\\}")
endif()

# The same example as an HTTP server (tests/integration/examples.test.mjs).
add_executable(hello_server ${PROJECT_SOURCE_DIR}/examples/hello_server/hello_server.c)
target_link_libraries(hello_server PRIVATE gql_static)
set_target_properties(hello_server PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/examples)

# The chat service (examples/chat): the C API with SQLite for storage. Its
# schema is compiled in from schema.graphql, which stays the only copy.
# Without SQLite (libsqlite3-dev) the library and the rest still build.
pkg_check_modules(SQLITE3 IMPORTED_TARGET sqlite3)
if(NOT SQLITE3_FOUND)
  message(STATUS "SQLite not found: examples/chat is not built")
else()
  set(CHAT_DIR ${PROJECT_SOURCE_DIR}/examples/chat)
  set(CHAT_SCHEMA_C ${PROJECT_BINARY_DIR}/examples/chat_schema.c)
  add_custom_command(OUTPUT ${CHAT_SCHEMA_C}
    COMMAND ${CMAKE_COMMAND} -DIN=${CHAT_DIR}/schema.graphql -DOUT=${CHAT_SCHEMA_C}
            -DNAME=chat_schema_sdl -P ${CHAT_DIR}/embed.cmake
    DEPENDS ${CHAT_DIR}/schema.graphql ${CHAT_DIR}/embed.cmake
    COMMENT "Embedding examples/chat/schema.graphql")
  file(GLOB CHAT_SOURCES CONFIGURE_DEPENDS ${CHAT_DIR}/*.c)
  add_executable(chat ${CHAT_SOURCES} ${CHAT_SCHEMA_C})
  target_include_directories(chat PRIVATE ${CHAT_DIR})
  target_link_libraries(chat PRIVATE gql_static PkgConfig::SQLITE3 Threads::Threads)
  set_target_properties(chat PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/examples)
  # With the browser UI bundled (cmake/ui.cmake), the chat serves GraphiQL too.
  if(TARGET gql_ui_assets)
    target_link_libraries(chat PRIVATE gql_ui_assets)
    target_compile_definitions(chat PRIVATE CHAT_HAVE_UI=1)
  endif()
endif()
