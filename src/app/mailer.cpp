#include "app/mailer.hpp"

#include <cstring>

#include <curl/curl.h>

#include "core/clock.hpp"
#include "core/crypto.hpp"

namespace ik::app {
namespace {

struct Upload {
  std::string data;
  std::size_t offset = 0;
};

std::size_t read_payload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const auto room = size * count;
  const auto left = upload->data.size() - upload->offset;
  const auto length = std::min(room, left);
  std::memcpy(buffer, upload->data.data() + upload->offset, length);
  upload->offset += length;
  return length;
}

// RFC 2047 encoded-word so that umlauts survive in the subject line.
std::string encode_header(const std::string& text) { return "=?UTF-8?B?" + crypto::base64(text) + "?="; }

bool has_line_break(const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; }

}  // namespace

Status Mailer::send(const std::string& to, const std::string& subject, const std::string& body) const {
  if (!configured()) return Error::internal("mail is not configured");
  // Header injection: addresses and subject come from forms.
  if (has_line_break(to) || has_line_break(subject)) return Error::invalid("email", "auth.email_invalid");
  Upload upload;
  upload.data = "Date: " + format_utc(SystemClock().now()) + "\r\n" + "To: <" + to + ">\r\n" + "From: <" +
                settings_.from + ">\r\n" + "Message-ID: <" + crypto::random_token(16) + "@interkommunal>\r\n" +
                "Subject: " + encode_header(subject) + "\r\n" + "MIME-Version: 1.0\r\n" +
                "Content-Type: text/plain; charset=utf-8\r\n" + "Content-Transfer-Encoding: 8bit\r\n\r\n" + body +
                "\r\n";
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Error::internal("curl_easy_init failed");
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_URL, settings_.smtp_url.c_str());
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(settings_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  if (!settings_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + settings_.from + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_payload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const auto result = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (result != CURLE_OK) return Error::unavailable(std::string("smtp: ") + curl_easy_strerror(result));
  return {};
}

}  // namespace ik::app
