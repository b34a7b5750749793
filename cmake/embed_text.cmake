# Writes a C++ source file that defines FUNCTION (qualified, declared in HEADER) as returning the
# contents of INPUT, so that a default file ships inside the binary:
#   cmake -DINPUT=... -DOUTPUT=... -DHEADER=config/config.h
#         -DFUNCTION=argus::config::EmbeddedDefault -P embed_text.cmake
# The delimiter of the raw string literal must not occur in INPUT.
file(READ "${INPUT}" CONTENT)
file(RELATIVE_PATH SOURCE "${CMAKE_CURRENT_LIST_DIR}/.." "${INPUT}")
file(WRITE "${OUTPUT}"
  "// Generated from ${SOURCE} at build time; edit that file instead.\n"
  "#include \"${HEADER}\"\n\n"
  "std::string_view ${FUNCTION}() {\n"
  "  return R\"argus_embedded(${CONTENT})argus_embedded\";\n"
  "}\n")
