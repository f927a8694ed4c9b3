// Internals of the portal module shared by its .cpp files.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "portal/portal.hpp"

namespace ik::portal {

// The media type of an upload, decided by its content (libmagic plus structural checks); errors
// as documented at Portal::store_upload.
Result<std::string> detect_media_type(std::string_view bytes);

// Checks an SVG image: well-formed XML without DTD, scripts, event handler attributes,
// foreignObject, style sheets or references outside the file. Error: upload.unsafe_svg.
Status check_svg(std::string_view bytes);

// Validates the fields of `kind` and fills derived values (slug from the title, plain text).
// Errors name the form field.
Result<Fields> validated(Fields fields);
Bilingual plain_text(const Fields& fields);

// "Bericht 2024 (final).pdf" → "Bericht-2024-final-.pdf": ASCII letters, digits, '.', '-', '_'.
std::string safe_file_name(std::string_view name);

}  // namespace ik::portal
