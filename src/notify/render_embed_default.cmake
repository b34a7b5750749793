# Writes a C++ source that returns the contents of INPUT from
# notify::NotificationTemplates::DefaultText().
file(READ "${INPUT}" CONTENT)
file(WRITE "${OUTPUT}"
  "// Generated from src/notify/render_default.tmpl at build time; edit that file instead.\n"
  "#include \"notify/render_template.h\"\n\n"
  "namespace argus::notify {\n\n"
  "std::string_view NotificationTemplates::DefaultText() {\n"
  "  return R\"argus_tmpl(${CONTENT})argus_tmpl\";\n"
  "}\n\n"
  "}  // namespace argus::notify\n")
