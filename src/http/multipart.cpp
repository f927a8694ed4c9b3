// multipart/form-data parsing: boundary from the Content-Type, then part by part.
#include "http/multipart.hpp"

#include "core/text.hpp"

namespace ik::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";

Error malformed() { return Error::invalid("", "error.text_400"); }

bool is_boundary_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// The value of parameter `name` in a header value like `form-data; name="x"; filename="y"`.
// Quoted strings may hold escaped characters (\" and \\). nullopt when absent or malformed.
std::optional<std::string> parameter(std::string_view header, std::string_view name) {
  std::size_t position = header.find(';');
  while (position != std::string_view::npos && position < header.size()) {
    ++position;
    while (position < header.size() && header[position] == ' ') ++position;
    const auto equals = header.find('=', position);
    if (equals == std::string_view::npos) return std::nullopt;
    const auto key = text::lower_ascii(text::trim(header.substr(position, equals - position)));
    std::string value;
    std::size_t next = equals + 1;
    if (next < header.size() && header[next] == '"') {
      for (++next; next < header.size() && header[next] != '"'; ++next) {
        if (header[next] == '\\' && next + 1 < header.size()) ++next;
        value += header[next];
      }
      if (next >= header.size()) return std::nullopt;  // unclosed quote
      ++next;
    } else {
      const auto end = header.find(';', next);
      value = text::trim(header.substr(next, end == std::string_view::npos ? std::string_view::npos : end - next));
      next = end == std::string_view::npos ? header.size() : end;
    }
    if (key == name) return value;
    position = header.find(';', next);
  }
  return std::nullopt;
}

std::optional<std::string> boundary_of(std::string_view content_type) {
  auto boundary = parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70 || boundary->back() == ' ') return std::nullopt;
  for (const char c : *boundary) {
    if (!is_boundary_char(c)) return std::nullopt;
  }
  return boundary;
}

Status read_headers(std::string_view block, FormPart& part) {
  bool has_disposition = false;
  while (!block.empty()) {
    const auto end = block.find(kCrlf);
    const auto line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view{} : block.substr(end + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return malformed();
    const auto name = text::lower_ascii(text::trim(line.substr(0, colon)));
    const auto value = text::trim(line.substr(colon + 1));
    if (name == "content-type") part.content_type = value;
    if (name != "content-disposition") continue;
    if (!text::lower_ascii(value).starts_with("form-data")) return malformed();
    auto field_name = parameter(value, "name");
    if (!field_name) return malformed();
    part.name = std::move(*field_name);
    part.file_name = parameter(value, "filename");
    has_disposition = true;
  }
  return has_disposition ? Status{} : Status{malformed()};
}

}  // namespace

bool is_multipart_form(std::string_view content_type) {
  return text::lower_ascii(text::trim(content_type)).starts_with("multipart/form-data");
}

Result<std::vector<FormPart>> parse_multipart(std::string_view content_type, std::string_view body,
                                              const MultipartLimits& limits) {
  if (!is_multipart_form(content_type)) return malformed();
  const auto boundary = boundary_of(content_type);
  if (!boundary) return malformed();
  const std::string opening = "--" + *boundary;
  const std::string delimiter = "\r\n--" + *boundary;
  if (!body.starts_with(opening)) return malformed();
  std::size_t position = opening.size();
  std::vector<FormPart> parts;
  while (true) {
    // After a boundary: "--" ends the body, CRLF starts the next part.
    if (body.substr(position).starts_with("--")) return parts;
    if (!body.substr(position).starts_with(kCrlf)) return malformed();
    position += 2;
    if (parts.size() == limits.max_parts) return malformed();
    const auto header_end = body.find("\r\n\r\n", position);
    if (header_end == std::string_view::npos || header_end - position > limits.max_header_bytes) return malformed();
    FormPart part;
    IK_TRY(read_headers(body.substr(position, header_end - position), part));
    const auto data_start = header_end + 4;
    const auto data_end = body.find(delimiter, data_start);
    if (data_end == std::string_view::npos) return malformed();
    part.data = body.substr(data_start, data_end - data_start);
    parts.push_back(std::move(part));
    position = data_end + delimiter.size();
  }
}

const FormPart* find_part(const std::vector<FormPart>& parts, std::string_view name) {
  for (const auto& part : parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

}  // namespace ik::http
