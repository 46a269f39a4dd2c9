# Small command-line drivers that let the Node tests in tests/diff exercise
# library internals; built into ${PROJECT_BINARY_DIR}/tests:
#   format_many     parse and print a stream of documents (language.test.mjs)
#   json_roundtrip  the JSON reader and writer (json.test.mjs)
#   coerce_tool     variable and argument coercion (coercion.test.mjs)
# src/gqld/io.c gives them the daemon's file reader, gqld_read_file.
foreach(tool format_many json_roundtrip coerce_tool)
  add_executable(${tool} ${CMAKE_CURRENT_LIST_DIR}/${tool}.c ${PROJECT_SOURCE_DIR}/src/gqld/io.c)
  target_link_libraries(${tool} PRIVATE gql_internal)
  set_target_properties(${tool} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
endforeach()

# Test servers for the integration tests (tests/integration): small C
# programs on the library's server API, one per file named *_server.c.
file(GLOB GQL_TEST_SERVERS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*_server.c)
foreach(src ${GQL_TEST_SERVERS})
  get_filename_component(tool ${src} NAME_WE)
  add_executable(${tool} ${src})
  target_link_libraries(${tool} PRIVATE gql_internal)
  set_target_properties(${tool} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
endforeach()
