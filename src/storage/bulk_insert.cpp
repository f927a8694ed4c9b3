#include "storage/bulk_insert.hpp"

#include <iterator>
#include <stdexcept>
#include <utility>

namespace ik::storage {

BulkInsert::BulkInsert(Transaction& transaction, std::string head, std::size_t columns)
    : transaction_(transaction), head_(std::move(head)), columns_(columns) {
  if (columns_ == 0) throw std::invalid_argument("BulkInsert: no columns");
  full_ = statement(kRowsPerStatement);
  one_ = statement(1);
  queued_.reserve(kRowsPerStatement * columns_);
}

std::string BulkInsert::statement(std::size_t rows) const {
  std::string sql = head_ + " VALUES ";
  std::size_t number = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (std::size_t column = 0; column < columns_; ++column) {
      if (column > 0) sql += ", ";
      sql += '$';
      sql += std::to_string(++number);
    }
    sql += ')';
  }
  return sql;
}

Status BulkInsert::add(Params row) {
  if (row.size() != columns_) throw std::invalid_argument("BulkInsert: wrong number of values");
  queued_.insert(queued_.end(), std::make_move_iterator(row.begin()),
                 std::make_move_iterator(row.end()));
  if (queued_.size() < kRowsPerStatement * columns_) return {};
  IK_TRY(transaction_.execute(full_, queued_));
  queued_.clear();
  return {};
}

Status BulkInsert::flush() {
  // The rest row by row: one cached statement instead of one per remainder size.
  Params row;
  for (std::size_t start = 0; start < queued_.size(); start += columns_) {
    row.assign(std::make_move_iterator(queued_.begin() + static_cast<std::ptrdiff_t>(start)),
               std::make_move_iterator(queued_.begin() +
                                       static_cast<std::ptrdiff_t>(start + columns_)));
    IK_TRY(transaction_.execute(one_, row));
  }
  queued_.clear();
  return {};
}

}  // namespace ik::storage
