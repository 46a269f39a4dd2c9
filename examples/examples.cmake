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
