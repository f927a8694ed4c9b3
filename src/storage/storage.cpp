#include "storage/storage.hpp"

#include <stdexcept>

#include "storage/backend.hpp"

namespace ik::storage {
namespace {

[[noreturn]] void wrong_type(std::size_t column, const char* expected) {
  throw std::logic_error("storage::Row: column " + std::to_string(column) + " is not " + expected);
}

constexpr std::string_view kSqlitePrefix = "sqlite:";

}  // namespace

bool Row::is_null(std::size_t column) const {
  return std::holds_alternative<Null>(values_.at(column));
}

std::int64_t Row::integer(std::size_t column) const {
  if (const auto* value = std::get_if<std::int64_t>(&values_.at(column))) return *value;
  wrong_type(column, "an integer");
}

double Row::real(std::size_t column) const {
  const Value& value = values_.at(column);
  if (const auto* real_value = std::get_if<double>(&value)) return *real_value;
  if (const auto* integer_value = std::get_if<std::int64_t>(&value)) {
    return static_cast<double>(*integer_value);
  }
  wrong_type(column, "a number");
}

const std::string& Row::text(std::size_t column) const {
  if (const auto* value = std::get_if<std::string>(&values_.at(column))) return *value;
  wrong_type(column, "text");
}

std::optional<std::int64_t> Row::optional_integer(std::size_t column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

std::optional<std::string> Row::optional_text(std::size_t column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

Result<std::optional<Row>> Transaction::query_one(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<Row>{};
  if (rows->size() > 1) {
    return Error::internal("query_one: more than one row from " + detail::describe_sql(sql));
  }
  return std::optional<Row>{std::move(rows->front())};
}

Result<std::unique_ptr<Storage>> open(const Options& options) {
  if (options.pool_size < 1) return Error::internal("storage: pool_size must be at least 1");
  if (options.busy_timeout_ms < 0) return Error::internal("storage: busy_timeout_ms is negative");
  if (options.url.starts_with(kSqlitePrefix)) {
    return detail::open_sqlite(options.url.substr(kSqlitePrefix.size()), options);
  }
  return detail::open_postgres(options);
}

namespace detail {

std::string describe_sql(std::string_view sql) {
  constexpr std::size_t kMaxLength = 120;
  std::string line;
  bool pending_space = false;
  for (char character : sql) {
    if (character == ' ' || character == '\n' || character == '\t' || character == '\r') {
      pending_space = !line.empty();
      continue;
    }
    if (pending_space) line += ' ';
    pending_space = false;
    line += character;
    if (line.size() >= kMaxLength) return line + "…";
  }
  return line;
}

}  // namespace detail
}  // namespace ik::storage
