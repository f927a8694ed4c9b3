#include "web/catalogue_parts.hpp"

namespace ik::web {

const std::vector<CatalogueEntry>& monitoring_messages() {
  // key, German, English
  static const std::vector<CatalogueEntry> entries = {
  };
  return entries;
}

}  // namespace ik::web
