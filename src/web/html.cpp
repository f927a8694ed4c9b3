#include "web/html.hpp"

#include <array>
#include <stdexcept>

#include "core/text.hpp"

namespace ik::web {
namespace {

bool is_url_attribute(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kUrlAttributes{
      "href", "src", "action", "formaction", "xlink:href", "poster"};
  for (const auto candidate : kUrlAttributes) {
    if (candidate == name) return true;
  }
  return false;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text::lower_ascii(text.substr(0, prefix.size())) == prefix;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char character : text) {
    switch (character) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(character);
    }
  }
  return out;
}

std::string safe_url(std::string_view url) {
  const auto trimmed = text::trim(url);
  if (trimmed.empty()) return "#";
  if (trimmed.starts_with("//")) return "#";
  if (trimmed.front() == '/' || trimmed.front() == '#' || trimmed.front() == '?') {
    return std::string(trimmed);
  }
  for (const auto scheme : {"https://", "http://", "mailto:", "tel:"}) {
    if (starts_with_ci(trimmed, scheme)) return std::string(trimmed);
  }
  // Relative paths without a scheme ("bericht.pdf") are harmless; anything with a colon
  // before the first slash is a scheme we did not allow.
  const auto colon = trimmed.find(':');
  const auto slash = trimmed.find('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
    return "#";
  }
  return std::string(trimmed);
}

void Html::write_attributes(Attributes attributes) {
  for (const auto& attribute : attributes) {
    if (attribute.kind == Attribute::Kind::absent) continue;
    out_.push_back(' ');
    out_ += attribute.name.view();
    if (attribute.kind == Attribute::Kind::boolean) continue;
    out_ += "=\"";
    out_ += escape(is_url_attribute(attribute.name.view()) ? safe_url(attribute.value)
                                                            : attribute.value);
    out_.push_back('"');
  }
}

Html& Html::open(Name tag, Attributes attributes) {
  out_.push_back('<');
  out_ += tag.view();
  write_attributes(attributes);
  out_.push_back('>');
  open_elements_.push_back(tag.view());
  return *this;
}

Html& Html::close() {
  if (open_elements_.empty()) throw std::logic_error("Html::close without an open element");
  out_ += "</";
  out_ += open_elements_.back();
  out_.push_back('>');
  open_elements_.pop_back();
  return *this;
}

Html& Html::text(std::string_view text) {
  out_ += escape(text);
  return *this;
}

Html& Html::element(Name tag, Attributes attributes, std::string_view text) {
  open(tag, attributes);
  out_ += escape(text);
  return close();
}

Html& Html::empty(Name tag, Attributes attributes) {
  out_.push_back('<');
  out_ += tag.view();
  write_attributes(attributes);
  // "/>" ends SVG elements (foreign content) and is harmless on HTML void elements.
  out_ += "/>";
  return *this;
}

Html& Html::doctype() {
  out_ += "<!doctype html>";
  return *this;
}

Html& Html::append(const Html& fragment) {
  out_ += fragment.str();
  return *this;
}

const std::string& Html::str() const {
  if (!open_elements_.empty()) throw std::logic_error("Html has unclosed elements");
  return out_;
}

std::string Html::take() && {
  if (!open_elements_.empty()) throw std::logic_error("Html has unclosed elements");
  return std::move(out_);
}

}  // namespace ik::web
