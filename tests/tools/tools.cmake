# Small command-line drivers that let the Node tests in tests/diff exercise
# library internals; built into ${PROJECT_BINARY_DIR}/tests.
add_executable(json_roundtrip ${CMAKE_CURRENT_LIST_DIR}/json_roundtrip.c)
target_link_libraries(json_roundtrip PRIVATE gql_internal)
set_target_properties(json_roundtrip PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
# coerce_tool: variable and argument coercion for tests/diff/coercion.test.mjs.
add_executable(coerce_tool ${CMAKE_CURRENT_LIST_DIR}/coerce_tool.c)
target_link_libraries(coerce_tool PRIVATE gql_internal)
set_target_properties(coerce_tool PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
