# Writes a C++ source that returns the contents of INPUT from config::EmbeddedDefault().
file(READ "${INPUT}" CONTENT)
file(WRITE "${OUTPUT}"
  "// Generated from config/default.yml at build time; edit that file instead.\n"
  "#include \"config/config.h\"\n\n"
  "namespace argus::config {\n\n"
  "std::string_view EmbeddedDefault() {\n"
  "  return R\"argus_yml(${CONTENT})argus_yml\";\n"
  "}\n\n"
  "}  // namespace argus::config\n")
