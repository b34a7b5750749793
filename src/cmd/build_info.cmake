# Writes build_info.cc for the argus executable: run by the build (`cmake -P`) every time, it
# rewrites the file only when what it says changes.
#   -DSOURCE_DIR= -DIN= -DOUT= -DARGUS_VERSION= -DARGUS_TOOLCHAIN= -DARGUS_PLATFORM=
function(git_output var)
  execute_process(COMMAND git ${ARGN} WORKING_DIRECTORY "${SOURCE_DIR}"
                  OUTPUT_VARIABLE out RESULT_VARIABLE failed ERROR_QUIET
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(failed OR out STREQUAL "")
    set(out "unknown")
  endif()
  set(${var} "${out}" PARENT_SCOPE)
endfunction()

git_output(ARGUS_REVISION rev-parse HEAD)
git_output(ARGUS_BRANCH rev-parse --abbrev-ref HEAD)
# The commit's date rather than the clock's, so that building the same commit twice gives the
# same binary.
set(ENV{TZ} UTC0)
git_output(ARGUS_BUILD_DATE log -1 --format=%cd --date=format-local:%Y%m%d-%H:%M:%S)

set(user "$ENV{USER}")
if(user STREQUAL "")
  execute_process(COMMAND id -un OUTPUT_VARIABLE user ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
if(user STREQUAL "")
  set(user "unknown")
endif()
cmake_host_system_information(RESULT host QUERY HOSTNAME)
set(ARGUS_BUILD_USER "${user}@${host}")

configure_file("${IN}" "${OUT}" @ONLY)
