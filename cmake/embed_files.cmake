# Writes a C++ source file that defines FUNCTION (qualified, declared in HEADER) as returning the
# files INPUTS (a ;-list) as argus::config::EmbeddedFile entries named PREFIX/<file name>, so
# that a set of default files ships inside the binary:
#   cmake -DINPUTS=a.yml;b.yml -DOUTPUT=... -DHEADER=config/config.h -DPREFIX=rules
#         -DFUNCTION=argus::config::EmbeddedRuleFiles -P embed_files.cmake
# The delimiter of the raw string literals must not occur in the files.
set(ENTRIES "")
foreach(input IN LISTS INPUTS)
  file(READ "${input}" CONTENT)
  get_filename_component(NAME "${input}" NAME)
  string(APPEND ENTRIES "    {\"${PREFIX}/${NAME}\", R\"argus_embedded(${CONTENT})argus_embedded\"},\n")
endforeach()
file(WRITE "${OUTPUT}"
  "// Generated at build time from the files named below; edit those instead.\n"
  "#include \"${HEADER}\"\n\n"
  "std::span<const argus::config::EmbeddedFile> ${FUNCTION}() {\n"
  "  static constexpr argus::config::EmbeddedFile kFiles[] = {\n"
  "${ENTRIES}"
  "  };\n"
  "  return kFiles;\n"
  "}\n")
