// multipart/form-data bodies (RFC 7578) as browsers send them for forms with file uploads.
// Strict: a body that does not follow the format exactly is refused, never guessed at.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace ik::http {

struct FormPart {
  std::string name;                      // the form field's name
  std::optional<std::string> file_name;  // set for a file input (may be "" when none was chosen)
  std::string content_type;              // as sent; "" when the part has none
  std::string data;                      // the raw bytes
};

struct MultipartLimits {
  std::size_t max_parts = 64;
  std::size_t max_header_bytes = 8 * 1024;  // of one part's header block
};

// True when the Content-Type header value names multipart/form-data.
bool is_multipart_form(std::string_view content_type);

// The parts of `body` in order, using the boundary of `content_type` (the request's
// Content-Type header value). Errors: invalid_input with key "error.text_400" when the boundary
// is missing or malformed, a part lacks its Content-Disposition form-data name, a part's
// headers are malformed or too long, there are more than `max_parts` parts, or the closing
// boundary is missing.
Result<std::vector<FormPart>> parse_multipart(std::string_view content_type, std::string_view body,
                                              const MultipartLimits& limits = {});

// The first part named `name`, or nullptr.
const FormPart* find_part(const std::vector<FormPart>& parts, std::string_view name);

}  // namespace ik::http
