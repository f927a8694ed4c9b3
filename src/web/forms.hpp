// Form fields in the KERN UX style, with the validation message at the field, the entered value
// kept, and an error summary linking to each field (WCAG 3.3.1).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "web/html.hpp"
#include "web/messages.hpp"

namespace ik::web {

struct InputField {
  std::string name;          // form field name and id
  std::string label;
  std::string value;         // kept after a failed submission (never for passwords)
  std::string error;         // already translated; empty when valid
  std::string hint;
  std::string type = "text";
  std::string autocomplete;  // e.g. "username", "current-password", "new-password"
  bool required = false;
  int max_length = 0;        // 0: no limit
};

void input_field(Html& html, const InputField& field);

struct SelectOption {
  std::string value;
  std::string label;
};

struct SelectField {
  std::string name;
  std::string label;
  std::string value;
  std::string error;
  std::vector<SelectOption> options;
};

void select_field(Html& html, const SelectField& field);

void checkbox_field(Html& html, const std::string& name, const std::string& label, bool checked,
                    const std::string& value = "1");

// The hidden anti-forgery field every state-changing form carries.
void csrf_field(Html& html, const std::string& token);

// An alert listing every error with a link to its field; nothing when `errors` is empty.
// `errors`: (field name, translated message).
void error_summary(Html& html, Language language,
                   const std::vector<std::pair<std::string, std::string>>& errors);

// A KERN alert box ("info", "success", "warning", "danger") with one paragraph of text.
void alert(Html& html, std::string_view kind, const std::string& text);

}  // namespace ik::web
