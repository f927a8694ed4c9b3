// /api/v1: the same data as the portal, as JSON. Documented in api/openapi.json, which a test
// checks against real responses.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/handlers.hpp"
#include "auth/auth.hpp"
#include "cooperation/cooperation.hpp"

namespace ik::app {

extern const char* const kOpenApiDocument;  // generated from api/openapi.json

namespace {

using nlohmann::json;

http::Response json_response(const json& body) { return http::Response::json(200, body.dump()); }

json date_json(const PreciseDate& date) {
  return {{"date", date.iso()}, {"precision", precision_name(date.precision)}};
}

json city_json(const cooperation::City& city) {
  json memberships = json::array();
  for (const auto& membership : city.memberships) {
    memberships.push_back({{"status", cooperation::status_name(membership.status)},
                           {"since", date_json(membership.since)},
                           {"until", membership.until ? date_json(*membership.until) : json(nullptr)},
                           {"note_de", membership.note_de},
                           {"note_en", membership.note_en},
                           {"source", membership.source}});
  }
  const auto optional_text = [](const std::string& value) { return value.empty() ? json(nullptr) : json(value); };
  const auto current = city.current_status();
  return {{"slug", city.slug},
          {"name", city.name},
          {"current_status", current ? json(cooperation::status_name(*current)) : json(nullptr)},
          {"integration_centre",
           {{"name", optional_text(city.ki_name)}, {"contact", optional_text(city.ki_contact)}, {"url", optional_text(city.ki_url)}}},
          {"memberships", memberships}};
}

template <class Load, class Convert>
http::Response list_response(Call& call, const Services& services, Load load, Convert convert) {
  auto items = load();
  if (!items) return failure(call, services, items.error());
  json body = json::array();
  for (const auto& item : *items) body.push_back(convert(item));
  return json_response({{"items", body}});
}

json title_json(const cooperation::Theme& theme) {
  return {{"slug", theme.slug}, {"position", theme.position}, {"title_de", theme.title_de}, {"title_en", theme.title_en}};
}

}  // namespace

http::Response json_error(int status, std::string_view code, std::string_view message) {
  return http::Response::json(status, json{{"error", {{"status", status}, {"code", code}, {"message", message}}}}.dump());
}

http::Response api_openapi(Call&, const Services&) { return http::Response::json(200, kOpenApiDocument); }

http::Response api_cities(Call& call, const Services& services) {
  return list_response(call, services, [&] { return services.cooperation.cities(); }, city_json);
}

http::Response api_city(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["slug"]);
  if (!city) return failure(call, services, city.error());
  return json_response(city_json(*city));
}

http::Response api_bodies(Call& call, const Services& services) {
  return list_response(call, services, [&] { return services.cooperation.bodies(); }, [](const cooperation::Body& body) {
    return json{{"slug", body.slug},
                {"name_de", body.name_de},
                {"name_en", body.name_en},
                {"composition_de", body.composition_de},
                {"composition_en", body.composition_en},
                {"tasks_de", body.tasks_de},
                {"tasks_en", body.tasks_en}};
  });
}

http::Response api_themes(Call& call, const Services& services) {
  return list_response(call, services, [&] { return services.cooperation.themes(); }, title_json);
}

http::Response api_action_goals(Call& call, const Services& services) {
  return list_response(call, services, [&] { return services.cooperation.action_goals(); }, title_json);
}

http::Response api_milestones(Call& call, const Services& services) {
  return list_response(call, services, [&] { return services.cooperation.milestones(); }, [](const cooperation::Milestone& milestone) {
    return json{{"slug", milestone.slug},
                {"date", date_json(milestone.date)},
                {"title_de", milestone.title_de},
                {"title_en", milestone.title_en},
                {"description_de", milestone.description_de},
                {"description_en", milestone.description_en}};
  });
}

http::Response api_publications(Call& call, const Services& services) {
  return list_response(call, services, [&] { return services.cooperation.publications(); }, [](const cooperation::Publication& publication) {
    return json{{"slug", publication.slug},
                {"series", publication.series.empty() ? json(nullptr) : json(publication.series)},
                {"position", publication.position},
                {"title_de", publication.title_de},
                {"title_en", publication.title_en},
                {"published", publication.published ? date_json(*publication.published) : json(nullptr)},
                {"language", publication.language}};
  });
}

http::Response api_me(Call& call, const Services& services) {
  const auto& principal = *call.principal;
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  const auto slug_of = [&](auth::CityId id) {
    const auto city = std::find_if(cities->begin(), cities->end(), [&](const auto& candidate) { return candidate.id == id; });
    return city == cities->end() ? json(nullptr) : json(city->slug);
  };
  json grants = json::array();
  for (const auto& grant : principal.grants) {
    grants.push_back({{"role", auth::role_name(grant.role)}, {"city", grant.city ? slug_of(*grant.city) : json(nullptr)}});
  }
  return json_response({{"username", principal.username}, {"display_name", principal.display_name}, {"roles", grants}});
}

}  // namespace ik::app
