// Writes the rows of one INSERT in multi-row statements: when an import writes 100,000 values,
// a statement per row costs more than the rows themselves.
#pragma once

#include <cstddef>
#include <string>

#include "storage/storage.hpp"

namespace ik::storage {

class BulkInsert {
 public:
  static constexpr std::size_t kRowsPerStatement = 64;

  // `head` names the table and columns, "INSERT INTO t (a, b)"; every row has `columns` values.
  BulkInsert(Transaction& transaction, std::string head, std::size_t columns);

  // Queues the row and writes a full statement's worth when there is one.
  Status add(Params row);
  // Writes what is queued. Call it before anything reads the table; rows still queued when the
  // BulkInsert ends are not written.
  Status flush();

 private:
  std::string statement(std::size_t rows) const;

  Transaction& transaction_;
  std::string head_;
  std::size_t columns_;
  std::string full_;  // the statement for kRowsPerStatement rows
  std::string one_;   // the statement for one row
  Params queued_;
};

}  // namespace ik::storage
