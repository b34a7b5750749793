# argus_library(NAME SOURCES... DEPS ...): one static library per src/<stage>/ folder.
function(argus_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# argus_test(NAME SOURCES... DEPS ... [LABELS ...] [SERIAL]): a GoogleTest binary registered with
# CTest; SERIAL runs its tests alone (load tests that measure the machine).
# Its main() (tests/main/test_main.cc) puts ARGUS_SHARED_DIR (conformance data), ARGUS_BINARY (the
# server) and ARGUS_SOURCE_DIR into the environment.
function(argus_test name)
  cmake_parse_arguments(ARG "SERIAL" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES} ${CMAKE_SOURCE_DIR}/tests/main/test_main.cc)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    ARGUS_SHARED_DIR_DEFAULT="${ARGUS_SHARED_DIR}"
    ARGUS_BINARY_DEFAULT="${CMAKE_BINARY_DIR}/src/cmd/argus"
    ARGUS_SOURCE_DIR_DEFAULT="${CMAKE_SOURCE_DIR}")
  include(GoogleTest)
  set(properties RUN_SERIAL FALSE)
  if(ARG_SERIAL)
    set(properties RUN_SERIAL TRUE)
  endif()
  if(ARG_LABELS)
    list(APPEND properties LABELS ${ARG_LABELS})
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${properties})
endfunction()

# Sets absl::Mutex's deadlock detection for the whole process (see the file); executables that
# are measured list it among their sources.
set(ARGUS_MUTEX_MODE_SOURCE ${CMAKE_SOURCE_DIR}/src/base/mutex_mode.cc)

# argus_benchmark(NAME SOURCES... DEPS ...): a Google Benchmark binary; not run by CTest.
function(argus_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES} ${ARGUS_MUTEX_MODE_SOURCE})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} absl::synchronization benchmark::benchmark)
  target_compile_definitions(${name} PRIVATE ARGUS_SHARED_DIR="${ARGUS_SHARED_DIR}")
endfunction()

# argus_embed_text(VAR INPUT HEADER FUNCTION): generates a source that defines FUNCTION (declared
# in HEADER, returning std::string_view) as the contents of INPUT, and sets VAR to its path, for
# a library's SOURCES.
function(argus_embed_text var input header function)
  get_filename_component(name ${input} NAME)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded_${name}.cc)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DHEADER=${header}
            -DFUNCTION=${function} -P ${CMAKE_SOURCE_DIR}/cmake/embed_text.cmake
    DEPENDS ${input} ${CMAKE_SOURCE_DIR}/cmake/embed_text.cmake
    COMMENT "Embedding ${name}")
  set(${var} ${output} PARENT_SCOPE)
endfunction()

# argus_embed_files(VAR HEADER FUNCTION PREFIX FILES...): generates a source that defines FUNCTION
# (declared in HEADER) as the list of FILES, each an argus::EmbeddedFile named
# PREFIX/<file name>, and sets VAR to its path, for a library's SOURCES.
function(argus_embed_files var header function prefix)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded_${prefix}.cc)
  string(REPLACE ";" "\\;" inputs "${ARGN}")
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} "-DINPUTS=${inputs}" -DOUTPUT=${output} -DHEADER=${header}
            -DPREFIX=${prefix} -DFUNCTION=${function} -P ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${ARGN} ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${prefix}/")
  set(${var} ${output} PARENT_SCOPE)
endfunction()
