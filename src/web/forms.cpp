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

void csrf_field(Html& html, const std::string& token) {
  html.empty("input", {{"type", "hidden"}, {"name", "csrf_token"}, {"value", token}});
}

void alert(Html& html, std::string_view kind, const std::string& text) {
  const std::string kind_text(kind);
  html.nest("div", {{"class", "kern-alert kern-alert--" + kind_text},
                    {"role", kind == "danger" ? "alert" : "status"}}, [&] {
    html.nest("div", {{"class", "kern-alert__body"}}, [&] {
      html.element("p", {{"class", "kern-body"}}, text);
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
