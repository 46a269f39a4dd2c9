# Unit tests: tests/unit/<layer>/test_<module>.c, one cmocka executable each,
# registered with ctest as unit/<layer>/<module>.
find_library(CMOCKA_LIBRARY cmocka REQUIRED)
find_path(CMOCKA_INCLUDE_DIR cmocka.h REQUIRED)

file(GLOB GQL_UNIT_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/unit/*/test_*.c)
foreach(src ${GQL_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  get_filename_component(dir ${src} DIRECTORY)
  get_filename_component(layer ${dir} NAME)
  set(target unit_${layer}_${name})
  add_executable(${target} ${src})
  target_include_directories(${target} PRIVATE ${CMOCKA_INCLUDE_DIR}
                             ${PROJECT_SOURCE_DIR}/tests/unit)
  target_link_libraries(${target} PRIVATE gql_internal ${CMOCKA_LIBRARY})
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_test(NAME unit/${layer}/${name} COMMAND ${target}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(unit/${layer}/${name} PROPERTIES TIMEOUT 120 LABELS unit)
endforeach()

# Fuzz corpus replay: every tests/fuzz/fuzz_<name>.c is also linked with a
# plain main() that feeds it each stored input, so ordinary test runs replay
# the corpus without libFuzzer.
file(GLOB GQL_FUZZ_TARGETS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
foreach(src ${GQL_FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  string(REPLACE "fuzz_" "" corpus ${name})
  add_executable(replay_${corpus} ${src} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.c)
  target_link_libraries(replay_${corpus} PRIVATE gql_internal)
  set_target_properties(replay_${corpus} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_test(NAME fuzz-replay/${corpus}
           COMMAND replay_${corpus} ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${corpus})
  set_tests_properties(fuzz-replay/${corpus} PROPERTIES TIMEOUT 300 LABELS fuzz-replay)
endforeach()

# Differential and end-to-end tests written for Node's test runner live in
# tests/diff, tests/cli, tests/integration (real clients over loopback) and
# tests/browser (the UI in headless Chromium); they run the built binaries,
# test servers and graphql-js.
find_program(NODE node)
if(NODE)
  file(GLOB GQL_NODE_TESTS CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/tests/diff/*.test.mjs
       ${PROJECT_SOURCE_DIR}/tests/cli/*.test.mjs
       ${PROJECT_SOURCE_DIR}/tests/integration/*.test.mjs
       ${PROJECT_SOURCE_DIR}/tests/browser/*.test.mjs)
  foreach(src ${GQL_NODE_TESTS})
    get_filename_component(name ${src} NAME_WE)
    get_filename_component(dir ${src} DIRECTORY)
    get_filename_component(kind ${dir} NAME)
    add_test(NAME ${kind}/${name} COMMAND ${NODE} --test ${src}
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(${kind}/${name} PROPERTIES TIMEOUT 600 LABELS ${kind}
      ENVIRONMENT "GQLD=${PROJECT_BINARY_DIR}/gqld;GQL_BUILD_DIR=${PROJECT_BINARY_DIR}")
  endforeach()
endif()

# Test tools (format_many, json_roundtrip, coerce_tool) for the Node tests.
include(${PROJECT_SOURCE_DIR}/tests/tools/tools.cmake)
