// What an upload really is, decided by its bytes: libmagic names a candidate type, then a
// structural check per type confirms it (a file that merely starts like a PDF is not a PDF).
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <magic.h>
#include <zip.h>

#include <cstring>
#include <memory>
#include <mutex>

#include "core/text.hpp"
#include "portal/internal.hpp"

namespace ik::portal {
namespace {

std::string magic_type(std::string_view bytes) {
  // A magic cookie is not thread-safe; uploads are rare, one shared cookie under a lock suffices.
  static std::mutex mutex;
  static magic_t cookie = [] {
    magic_t opened = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
    if (opened != nullptr && magic_load(opened, nullptr) != 0) {
      magic_close(opened);
      opened = nullptr;
    }
    return opened;
  }();
  std::lock_guard lock(mutex);
  if (cookie == nullptr) return {};
  const char* type = magic_buffer(cookie, bytes.data(), bytes.size());
  return type == nullptr ? std::string() : std::string(type);
}

bool tail_contains(std::string_view bytes, std::string_view needle, std::size_t window) {
  const auto tail = bytes.substr(bytes.size() > window ? bytes.size() - window : 0);
  return tail.find(needle) != std::string_view::npos;
}

bool is_pdf(std::string_view bytes) { return bytes.starts_with("%PDF-") && tail_contains(bytes, "%%EOF", 1024); }

bool is_png(std::string_view bytes) {
  return bytes.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8)) && tail_contains(bytes, "IEND", 32);
}

bool is_jpeg(std::string_view bytes) {
  return bytes.starts_with(std::string_view("\xFF\xD8\xFF", 3)) && tail_contains(bytes, std::string_view("\xFF\xD9", 2), 64);
}

bool is_mp4(std::string_view bytes) { return bytes.size() > 12 && bytes.substr(4, 4) == "ftyp"; }

bool is_vtt(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  return bytes.starts_with("WEBVTT") && (bytes.size() == 6 || bytes[6] == '\n' || bytes[6] == '\r' ||
                                         bytes[6] == ' ' || bytes[6] == '\t') &&
         text::is_valid_utf8(bytes);
}

bool looks_like_svg(std::string_view bytes) {
  const auto head = bytes.substr(0, 4096);
  return head.find("<svg") != std::string_view::npos;
}

struct ZipArchive {
  zip_t* archive = nullptr;
  ~ZipArchive() {
    if (archive != nullptr) zip_discard(archive);
  }
};

// The [Content_Types].xml of an Office Open XML package; empty when the bytes are no such zip.
std::string office_content_types(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) return {};
  ZipArchive zip{zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error)};
  if (zip.archive == nullptr) {
    zip_source_free(source);
    return {};
  }
  zip_stat_t stat;
  if (zip_stat(zip.archive, "[Content_Types].xml", 0, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0 ||
      stat.size > 1024 * 1024) {
    return {};
  }
  zip_file_t* file = zip_fopen(zip.archive, "[Content_Types].xml", 0);
  if (file == nullptr) return {};
  std::string content(static_cast<std::size_t>(stat.size), '\0');
  const auto read = zip_fread(file, content.data(), stat.size);
  zip_fclose(file);
  if (read != static_cast<zip_int64_t>(stat.size)) return {};
  return content;
}

Result<std::string> office_type(std::string_view bytes) {
  const auto types = office_content_types(bytes);
  if (types.find("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml") != std::string::npos) {
    return std::string("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  }
  if (types.find("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml") != std::string::npos) {
    return std::string("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  }
  return Error::invalid("datei", "upload.broken_office");
}

std::string lower(const xmlChar* name) { return text::lower_ascii(name == nullptr ? "" : reinterpret_cast<const char*>(name)); }

// A reference inside the file ("#id") is fine; anything else would load from elsewhere.
bool refers_outside(std::string_view value) {
  const auto lowered = text::lower_ascii(value);
  for (auto at = lowered.find("url("); at != std::string::npos; at = lowered.find("url(", at + 4)) {
    auto rest = std::string_view(lowered).substr(at + 4);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '"' || rest.front() == '\'')) rest.remove_prefix(1);
    if (!rest.starts_with("#")) return true;
  }
  return lowered.find("@import") != std::string::npos;
}

bool safe_attributes(xmlNode* node) {
  for (xmlAttr* attribute = node->properties; attribute != nullptr; attribute = attribute->next) {
    const auto name = lower(attribute->name);
    xmlChar* raw = xmlNodeListGetString(node->doc, attribute->children, 1);
    const std::string value = raw == nullptr ? std::string() : reinterpret_cast<const char*>(raw);
    xmlFree(raw);
    if (name.starts_with("on")) return false;
    if (name == "href" && !value.starts_with("#")) return false;
    if (refers_outside(value)) return false;
  }
  return true;
}

bool safe_nodes(xmlNode* node) {
  for (; node != nullptr; node = node->next) {
    if (node->type == XML_PI_NODE || node->type == XML_ENTITY_REF_NODE || node->type == XML_DTD_NODE) return false;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      const auto* content = reinterpret_cast<const char*>(node->content);
      if (content != nullptr && node->parent != nullptr && lower(node->parent->name) == "style" && refers_outside(content)) {
        return false;
      }
      continue;
    }
    if (node->type != XML_ELEMENT_NODE) continue;
    const auto name = lower(node->name);
    if (name == "script" || name == "foreignobject" || name == "iframe" || name == "embed" || name == "object") {
      return false;
    }
    if (!safe_attributes(node) || !safe_nodes(node->children)) return false;
  }
  return true;
}

}  // namespace

Status check_svg(std::string_view bytes) {
  const Error unsafe = Error::invalid("datei", "upload.unsafe_svg");
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX) || bytes.find("<!DOCTYPE") != std::string_view::npos ||
      bytes.find("<!ENTITY") != std::string_view::npos) {
    return unsafe;
  }
  // No network, no entity substitution, no DTD loading: the parser reads only these bytes.
  xmlDoc* document = xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "svg-upload", nullptr,
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (document == nullptr) return unsafe;
  const std::unique_ptr<xmlDoc, void (*)(xmlDoc*)> owner(document, xmlFreeDoc);
  xmlNode* root = xmlDocGetRootElement(document);
  if (root == nullptr || lower(root->name) != "svg" || document->intSubset != nullptr) return unsafe;
  if (!safe_nodes(document->children)) return unsafe;
  return {};
}

Result<std::string> detect_media_type(std::string_view bytes) {
  if (is_vtt(bytes)) return std::string("text/vtt");
  const auto type = magic_type(bytes);
  if (type == "application/pdf" || bytes.starts_with("%PDF-")) {
    if (!is_pdf(bytes)) return Error::invalid("datei", "upload.broken_pdf");
    return std::string("application/pdf");
  }
  if (type == "image/png") {
    if (!is_png(bytes)) return Error::invalid("datei", "upload.broken_image");
    return type;
  }
  if (type == "image/jpeg") {
    if (!is_jpeg(bytes)) return Error::invalid("datei", "upload.broken_image");
    return type;
  }
  if (type == "image/svg+xml" || ((type == "text/xml" || type == "text/plain" || type == "text/html") && looks_like_svg(bytes))) {
    IK_TRY(check_svg(bytes));
    return std::string("image/svg+xml");
  }
  if (type == "application/zip" || type.starts_with("application/vnd.openxmlformats-officedocument")) {
    return office_type(bytes);
  }
  if (type == "video/mp4" && is_mp4(bytes)) return type;
  return Error::invalid("datei", "upload.unknown_type");
}

}  // namespace ik::portal
