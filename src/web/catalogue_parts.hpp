// The parts of the message catalogue kept by each capability's area (internal to web). Every part
// is a list of {key, German, English}; messages.cpp merges them and the unit test checks that keys
// are unique across all parts.
#pragma once

#include <vector>

#include "web/messages.hpp"

namespace ik::web {

const std::vector<CatalogueEntry>& monitoring_messages();  // messages_monitoring.cpp
const std::vector<CatalogueEntry>& portal_messages();      // messages_portal.cpp

}  // namespace ik::web
