#include "web/forms.hpp"

#include <string>

namespace ik::web {
namespace {

void field_error(Html& html, const std::string& id, const std::string& error) {
  html.nest("p", {{"class", "kern-error"}, {"id", id}}, [&] {
    html.element("span", {{"class", "kern-icon kern-icon--danger"}, {"aria-hidden", "true"}}, "");
    html.element("span", {{"class", "kern-body"}}, error);
  });
}

std::string described_by(const std::string& name, bool hint, bool error) {
  std::string ids;
  if (hint) ids = name + "-hinweis";
  if (error) ids += (ids.empty() ? "" : " ") + name + "-fehler";
  return ids;
}

}  // namespace

void input_field(Html& html, const InputField& field) {
  const bool has_error = !field.error.empty();
  const bool has_hint = !field.hint.empty();
  const auto describedby = described_by(field.name, has_hint, has_error);
  html.nest("div", {{"class", has_error ? "kern-form-input kern-form-input--error" : "kern-form-input"}}, [&] {
    html.element("label", {{"class", "kern-label"}, {"for", field.name}}, field.label);
    if (has_hint) html.element("div", {{"class", "kern-hint"}, {"id", field.name + "-hinweis"}}, field.hint);
    if (has_error) field_error(html, field.name + "-fehler", field.error);
    const bool keeps_value = field.type != "password";
    html.empty("input", {
        {"class", has_error ? "kern-form-input__input kern-form-input__input--error" : "kern-form-input__input"},
        {"id", field.name},
        {"name", field.name},
        {"type", field.type},
        keeps_value ? Attribute{"value", field.value} : flag("value", false),
        field.autocomplete.empty() ? flag("autocomplete", false) : Attribute{"autocomplete", field.autocomplete},
        flag("required", field.required),
        field.max_length > 0 ? Attribute{"maxlength", std::to_string(field.max_length)} : flag("maxlength", false),
        describedby.empty() ? flag("aria-describedby", false) : Attribute{"aria-describedby", describedby},
        has_error ? Attribute{"aria-invalid", "true"} : flag("aria-invalid", false),
        field.max_bytes > 0 ? Attribute{"data-max-bytes", std::to_string(field.max_bytes)} : flag("data-max-bytes", false),
        field.max_bytes > 0 ? Attribute{"data-too-large", field.too_large_message} : flag("data-too-large", false),
    });
  });
}

void select_field(Html& html, const SelectField& field) {
  const bool has_error = !field.error.empty();
  html.nest("div", {{"class", has_error ? "kern-form-input kern-form-input--error" : "kern-form-input"}}, [&] {
    html.element("label", {{"class", "kern-label"}, {"for", field.name}}, field.label);
    if (has_error) field_error(html, field.name + "-fehler", field.error);
    html.nest("div", {{"class", "kern-form-input__select-wrapper"}}, [&] {
      html.nest("select", {
          {"class", has_error ? "kern-form-input__select kern-form-input__select--error" : "kern-form-input__select"},
          {"id", field.name},
          {"name", field.name},
          has_error ? Attribute{"aria-describedby", field.name + "-fehler"} : flag("aria-describedby", false),
          has_error ? Attribute{"aria-invalid", "true"} : flag("aria-invalid", false),
      }, [&] {
        for (const auto& option : field.options) {
          html.element("option", {{"value", option.value}, flag("selected", option.value == field.value)},
                       option.label);
        }
      });
    });
  });
}

void checkbox_field(Html& html, const std::string& name, const std::string& label, bool checked,
                    const std::string& value) {
  html.nest("div", {{"class", "kern-form-check"}}, [&] {
    html.empty("input", {{"class", "kern-form-check__checkbox"},
                         {"type", "checkbox"},
                         {"id", name},
                         {"name", name},
                         {"value", value},
                         flag("checked", checked)});
    html.element("label", {{"class", "kern-label"}, {"for", name}}, label);
  });
}

namespace {

std::string button_class(std::string_view variant, std::string_view size) {
  std::string classes = "kern-btn kern-btn--" + std::string(variant);
  if (!size.empty()) classes += " kern-btn--" + std::string(size);
  return classes;
}

}  // namespace

void submit_button(Html& html, std::string_view label, std::string_view variant, std::string_view size,
                   std::string_view accessible_name) {
  html.nest("button", {{"type", "submit"},
                       {"class", button_class(variant, size)},
                       accessible_name.empty() ? flag("aria-label", false) : Attribute{"aria-label", std::string(accessible_name)}},
            [&] { html.element("span", {{"class", "kern-label"}}, label); });
}

void submit_row(Html& html, std::string_view label) {
  html.nest("div", {{"class", "kern-btn-wrapper"}}, [&] { submit_button(html, label); });
}

void button_link(Html& html, std::string_view label, const std::string& href, std::string_view variant) {
  html.nest("a", {{"class", button_class(variant, {})}, {"href", href}},
            [&] { html.element("span", {{"class", "kern-label"}}, label); });
}

void fieldset(Html& html, std::string_view legend, const std::function<void()>& body, std::string_view extra_class) {
  const std::string classes = extra_class.empty() ? "kern-fieldset" : "kern-fieldset " + std::string(extra_class);
  html.nest("fieldset", {{"class", classes}}, [&] {
    html.element("legend", {{"class", "kern-label"}}, legend);
    html.nest("div", {{"class", "kern-fieldset__body"}}, body);
  });
}

void data_table(Html& html, std::string_view label, const std::vector<std::string>& headers,
                const std::function<void()>& rows, std::string_view extra_class) {
  const std::string classes = extra_class.empty() ? "kern-table" : "kern-table " + std::string(extra_class);
  html.nest("div", {{"class", "kern-table-responsive"}, {"role", "region"}, {"tabindex", "0"},
                    {"aria-label", std::string(label)}}, [&] {
    html.nest("table", {{"class", classes}}, [&] {
      html.nest("thead", {}, [&] {
        html.nest("tr", {{"class", "kern-table__row"}}, [&] {
          for (const auto& header : headers) html.element("th", {{"class", "kern-table__header"}, {"scope", "col"}}, header);
        });
      });
      html.nest("tbody", {{"class", "kern-table__body"}}, rows);
    });
  });
}

void table_row(Html& html, const std::function<void()>& cells) { html.nest("tr", {{"class", "kern-table__row"}}, cells); }

void table_cell(Html& html, std::string_view text) { html.element("td", {{"class", "kern-table__cell"}}, text); }

void table_cell(Html& html, const std::function<void()>& content) {
  html.nest("td", {{"class", "kern-table__cell"}}, content);
}

void csrf_field(Html& html, const std::string& token) {
  html.empty("input", {{"type", "hidden"}, {"name", "csrf_token"}, {"value", token}});
}

void alert(Html& html, std::string_view kind, const std::string& text,
           const std::vector<std::string>& items) {
  const std::string kind_text(kind);
  html.nest("div", {{"class", "kern-alert kern-alert--" + kind_text},
                    {"role", kind == "danger" ? "alert" : "status"}}, [&] {
    html.nest("div", {{"class", "kern-alert__body"}}, [&] {
      html.element("p", {{"class", "kern-body"}}, text);
      if (items.empty()) return;
      html.nest("ul", {{"class", "kern-list"}}, [&] {
        for (const auto& item : items) html.element("li", {}, item);
      });
    });
  });
}

void error_summary(Html& html, Language language,
                   const std::vector<std::pair<std::string, std::string>>& errors) {
  if (errors.empty()) return;
  html.nest("div", {{"class", "kern-alert kern-alert--danger"}, {"role", "alert"}, {"id", "fehler"}}, [&] {
    html.nest("div", {{"class", "kern-alert__header"}}, [&] {
      html.element("span", {{"class", "kern-icon kern-icon--danger"}, {"aria-hidden", "true"}}, "");
      html.element("h2", {{"class", "kern-title"}}, message(language, "form.error_summary"));
    });
    html.nest("div", {{"class", "kern-alert__body"}}, [&] {
      html.nest("ul", {{"class", "kern-list"}}, [&] {
        for (const auto& [field, text] : errors) {
          html.nest("li", {}, [&] {
            html.element("a", {{"class", "kern-link"}, {"href", "#" + field}}, text);
          });
        }
      });
    });
  });
}

}  // namespace ik::web
