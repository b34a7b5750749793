# Writes a C++ source file that defines FUNCTION (qualified, declared in HEADER) as returning a
# set of files as argus::EmbeddedFile entries (base/embedded_file.h), so that they ship inside the
# binary. The files are either INPUTS (a ;-list), each named PREFIX/<file name>:
#   cmake -DINPUTS=a.yml;b.yml -DOUTPUT=... -DHEADER=config/config.h -DPREFIX=rules
#         -DFUNCTION=argus::config::EmbeddedRuleFiles -P embed_files.cmake
# or every file under INPUT_DIR, found when the script runs (for files a build step makes, whose
# names are not known before), each named by its path relative to INPUT_DIR:
#   cmake -DINPUT_DIR=... -DOUTPUT=... -DHEADER=ui/ui.h -DFUNCTION=argus::ui::EmbeddedUi
#         -P embed_files.cmake
# The files are text; the delimiter of the raw string literals must not occur in them.
if(DEFINED INPUT_DIR)
  file(GLOB_RECURSE INPUTS LIST_DIRECTORIES false "${INPUT_DIR}/*")
  list(SORT INPUTS)
endif()
set(ENTRIES "")
foreach(input IN LISTS INPUTS)
  file(READ "${input}" CONTENT)
  if(DEFINED INPUT_DIR)
    file(RELATIVE_PATH NAME "${INPUT_DIR}" "${input}")
  else()
    get_filename_component(NAME "${input}" NAME)
    set(NAME "${PREFIX}/${NAME}")
  endif()
  string(FIND "${CONTENT}" ")argus_embedded\"" DELIMITER_AT)
  if(NOT DELIMITER_AT EQUAL -1)
    message(FATAL_ERROR "${input} contains the raw string delimiter )argus_embedded\"")
  endif()
  string(APPEND ENTRIES "    {\"${NAME}\", R\"argus_embedded(${CONTENT})argus_embedded\"sv},\n")
endforeach()
file(WRITE "${OUTPUT}"
  "// Generated at build time from the files named below; edit those instead.\n"
  "#include \"${HEADER}\"\n\n"
  "// The sv literals take their lengths from the compiler: a constant expression, however long.\n"
  "using std::string_view_literals::operator\"\"sv;\n\n"
  "std::span<const argus::EmbeddedFile> ${FUNCTION}() {\n"
  "  static constexpr argus::EmbeddedFile kFiles[] = {\n"
  "${ENTRIES}"
  "  };\n"
  "  return kFiles;\n"
  "}\n")
