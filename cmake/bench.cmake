# cmake/bench.cmake — benchmark programs: every bench/bench_<name>.c becomes
# build/bench/bench_<name>, linked against the library's internals
# (gql_internal) so it can time private stages such as the parser and the
# printer. They are reports, not tests: nothing here is registered with
# ctest. scripts/bench runs them (see bench/README.md).
file(GLOB GQL_BENCH_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/bench/bench_*.c)
foreach(src ${GQL_BENCH_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE gql_internal)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endforeach()

# The WebSocket fan-out benchmark's load generator (bench/README.md,
# "WebSocket fan-out"): one libuv client holding many subscribers;
# gql_internal gives it libuv and the SHA-1 that checks the server's
# Sec-WebSocket-Accept.
add_executable(fanout ${PROJECT_SOURCE_DIR}/bench/ws/fanout.c)
target_link_libraries(fanout PRIVATE gql_internal)
set_target_properties(fanout PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
