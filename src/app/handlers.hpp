// The route handlers, grouped by area. Each is thin: read the call, ask a capability, render.
#pragma once

#include "app/site.hpp"

namespace ik::app {

// Operations (ops.cpp)
http::Response healthz(Call& call, const Services& services);
http::Response readyz(Call& call, const Services& services);
http::Response metrics(Call& call, const Services& services);

// Public portal (pages_public.cpp)
http::Response home_page(Call& call, const Services& services);
http::Response cooperation_page(Call& call, const Services& services);
http::Response cities_page(Call& call, const Services& services);
http::Response city_page(Call& call, const Services& services);
http::Response themes_page(Call& call, const Services& services);
http::Response bodies_page(Call& call, const Services& services);
http::Response publications_page(Call& call, const Services& services);
http::Response city_internal_page(Call& call, const Services& services);

// Sign-in and account (pages_account.cpp)
http::Response sign_in_form(Call& call, const Services& services);
http::Response sign_in(Call& call, const Services& services);
http::Response sign_out(Call& call, const Services& services);
http::Response my_area_page(Call& call, const Services& services);
http::Response password_form(Call& call, const Services& services);
http::Response change_password(Call& call, const Services& services);
http::Response invitation_form(Call& call, const Services& services);
http::Response accept_invitation(Call& call, const Services& services);
http::Response api_tokens_page(Call& call, const Services& services);
http::Response create_api_token(Call& call, const Services& services);
http::Response revoke_api_token(Call& call, const Services& services);

// Administration (pages_admin.cpp)
http::Response users_page(Call& call, const Services& services);
http::Response new_user_form(Call& call, const Services& services);
http::Response create_user(Call& call, const Services& services);
http::Response user_form(Call& call, const Services& services);
http::Response update_user(Call& call, const Services& services);
http::Response invite_user(Call& call, const Services& services);
http::Response admin_cities_page(Call& call, const Services& services);
http::Response admin_city_form(Call& call, const Services& services);
http::Response update_city(Call& call, const Services& services);
http::Response audit_page(Call& call, const Services& services);

// API (api.cpp)
http::Response api_openapi(Call& call, const Services& services);
http::Response api_cities(Call& call, const Services& services);
http::Response api_city(Call& call, const Services& services);
http::Response api_bodies(Call& call, const Services& services);
http::Response api_themes(Call& call, const Services& services);
http::Response api_action_goals(Call& call, const Services& services);
http::Response api_milestones(Call& call, const Services& services);
http::Response api_publications(Call& call, const Services& services);
http::Response api_me(Call& call, const Services& services);

}  // namespace ik::app
