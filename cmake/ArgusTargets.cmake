# argus_library(NAME SOURCES... DEPS ...): one static library per src/<stage>/ folder.
function(argus_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# argus_test(NAME SOURCES... DEPS ... [LABELS ...]): a GoogleTest binary registered with CTest.
# Tests get ARGUS_SHARED_DIR (conformance data) and ARGUS_BINARY (the server) in their
# environment.
function(argus_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  include(GoogleTest)
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT
      "ARGUS_SHARED_DIR=${ARGUS_SHARED_DIR};ARGUS_BINARY=${CMAKE_BINARY_DIR}/src/cmd/argus;ARGUS_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
      LABELS "${ARG_LABELS}")
endfunction()

# argus_benchmark(NAME SOURCES... DEPS ...): a Google Benchmark binary; not run by CTest.
function(argus_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  target_compile_definitions(${name} PRIVATE ARGUS_SHARED_DIR="${ARGUS_SHARED_DIR}")
endfunction()
