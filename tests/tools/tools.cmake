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
