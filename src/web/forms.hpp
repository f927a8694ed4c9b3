// Form fields in the KERN UX style, with the validation message at the field, the entered value
// kept, and an error summary linking to each field (WCAG 3.3.1).
#pragma once

#include <functional>
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
  // For type "file": the largest file the server takes, and the message (with "{datei}" and
  // "{groesse}" for the chosen file's name and size) shown at the field when a larger one is
  // chosen, before anything is sent. Pages with such a field load upload-check.js.
  std::size_t max_bytes = 0;
  std::string too_large_message;
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

// A KERN button ("primary", "secondary", "tertiary"); the label sits in a .kern-label span, which
// carries KERN's text colour. `size` adds a modifier such as "x-small"; `accessible_name`
// replaces the visible label for assistive technology when the label alone is ambiguous.
void submit_button(Html& html, std::string_view label, std::string_view variant = "primary",
                   std::string_view size = {}, std::string_view accessible_name = {});
// A primary submit button in KERN's button row, ending a form.
void submit_row(Html& html, std::string_view label);
// A link that looks like a KERN button.
void button_link(Html& html, std::string_view label, const std::string& href, std::string_view variant = "primary");

// A KERN fieldset: legend, then the body written by `body()`.
void fieldset(Html& html, std::string_view legend, const std::function<void()>& body,
              std::string_view extra_class = {});

// A KERN table in a scrollable region that keyboard users can reach (focusable, named by
// `label`). `rows()` writes the rows with table_row and table_cell.
void data_table(Html& html, std::string_view label, const std::vector<std::string>& headers,
                const std::function<void()>& rows, std::string_view extra_class = {});
void table_row(Html& html, const std::function<void()>& cells);
void table_cell(Html& html, std::string_view text);
// A cell whose content `content()` writes (links, forms, code).
void table_cell(Html& html, const std::function<void()>& content);

// The hidden anti-forgery field every state-changing form carries.
void csrf_field(Html& html, const std::string& token);

// An alert listing every error with a link to its field; nothing when `errors` is empty.
// `errors`: (field name, translated message).
void error_summary(Html& html, Language language,
                   const std::vector<std::pair<std::string, std::string>>& errors);

// A KERN alert box ("info", "success", "warning", "danger") with one paragraph of text, and
// below it a list of `items` when there are any.
void alert(Html& html, std::string_view kind, const std::string& text,
           const std::vector<std::string>& items = {});

}  // namespace ik::web
