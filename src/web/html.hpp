// The one way to build HTML. Tag and attribute names are compile-time literals (consteval), so
// no runtime value can ever become markup; every text and attribute value is escaped; URL
// attributes refuse script-bearing schemes. Nothing else in the program concatenates HTML.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace ik::web {

// A tag or attribute name. Only literals of [A-Za-z0-9:-] compile (SVG has viewBox).
class Name {
 public:
  consteval Name(const char* literal) : value_(literal) {  // NOLINT(google-explicit-constructor)
    for (const char* cursor = literal; *cursor != '\0'; ++cursor) {
      const char character = *cursor;
      const bool allowed = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
                           (character >= '0' && character <= '9') || character == '-' ||
                           character == ':';
      if (!allowed) throw "HTML names are ASCII letters, digits, '-' and ':'";
    }
  }
  constexpr std::string_view view() const { return value_; }

 private:
  std::string_view value_;
};

struct Attribute {
  enum class Kind { value, boolean, absent };
  Name name;
  std::string value;
  Kind kind = Kind::value;
};

// A boolean attribute such as `required` or `checked`, written (bare) only when `on`.
inline Attribute flag(Name name, bool on = true) {
  return Attribute{name, {}, on ? Attribute::Kind::boolean : Attribute::Kind::absent};
}

using Attributes = std::initializer_list<Attribute>;

std::string escape(std::string_view text);
// A safe URL for href/src/action: site-relative ("/…", "#…", "?…") or http(s)/mailto/tel;
// anything else (javascript:, data:, vbscript:, protocol-relative "//…") becomes "#".
std::string safe_url(std::string_view url);

class Html {
 public:
  Html& open(Name tag, Attributes attributes = {});
  Html& close();  // closes the most recently opened element
  Html& text(std::string_view text);
  // <tag attributes>text</tag>
  Html& element(Name tag, Attributes attributes, std::string_view text);
  Html& element(Name tag, std::string_view text) { return element(tag, {}, text); }
  // <tag attributes/> (input, br, meta, link, img …, and empty SVG elements such as circle)
  Html& empty(Name tag, Attributes attributes = {});
  // <tag attributes> body() </tag>
  template <class Body>
  Html& nest(Name tag, Attributes attributes, Body&& body) {
    open(tag, attributes);
    body();
    return close();
  }
  Html& doctype();
  // Appends a finished fragment built by another Html.
  Html& append(const Html& fragment);

  // The markup. Precondition: every opened element is closed.
  const std::string& str() const;
  std::string take() &&;
  bool empty() const { return out_.empty(); }

 private:
  void write_attributes(Attributes attributes);
  std::string out_;
  std::vector<std::string_view> open_elements_;
};

}  // namespace ik::web
