// Sends e-mail (invitations) through the configured SMTP server with libcurl.
#pragma once

#include <string>

#include "core/result.hpp"

namespace ik::app {

struct MailSettings {
  std::string smtp_url;  // "smtp://host:587" (STARTTLS required) or "smtps://host:465"; empty: no mail
  std::string from;
  std::string username;
  std::string password;
  bool require_tls = true;  // smtp:// with STARTTLS required; false only for a local relay
};

class Mailer {
 public:
  explicit Mailer(MailSettings settings) : settings_(std::move(settings)) {}
  bool configured() const { return !settings_.smtp_url.empty(); }
  // Sends a plain-text UTF-8 message. Fails with `unavailable` when the server cannot be reached
  // or refuses; nothing is retried.
  Status send(const std::string& to, const std::string& subject, const std::string& body) const;

 private:
  MailSettings settings_;
};

}  // namespace ik::app
