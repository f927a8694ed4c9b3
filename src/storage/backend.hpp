// Internals shared by the storage backends, the migration runner and the fault-injecting
// wrapper. Not part of the module's public surface: include only from src/storage/*.cpp.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/storage.hpp"

namespace ik::storage::detail {

// The transactions of every backend. Besides the public interface they run the multi-statement
// migration scripts, and they remember their first failed statement so that later statements
// are refused and the Storage rolls back (see Transaction in storage.hpp).
class ScriptTransaction : public Transaction {
 public:
  // Runs a script of several statements without parameters. Only for files of the repository,
  // never for user input.
  virtual Status run_script(std::string_view script) = 0;

  // The error of the first failed statement, if any.
  const std::optional<Error>& failure() const { return failure_; }

 protected:
  // ErrorCode::internal once a statement has failed; success otherwise.
  Status refuse_after_failure() const {
    if (!failure_) return {};
    return Error::internal("statement after a failed statement in the same transaction");
  }
  // Passes `result` through, remembering its error if it is the transaction's first.
  template <class T>
  Result<T> remember(Result<T> result) {
    if (!result.ok() && !failure_) failure_ = result.error();
    return result;
  }

 private:
  std::optional<Error> failure_;
};

// What write() returns: work's own error first, then the first failed statement's.
inline Status outcome_of(Status work_status, const ScriptTransaction& transaction) {
  if (!work_status.ok()) return work_status;
  if (transaction.failure()) return *transaction.failure();
  return {};
}

// Implemented by storages that can exclude other processes from migrating at the same time.
class MigrationLocking {
 public:
  virtual ~MigrationLocking() = default;
  // Runs `body` while holding a lock that no other instance can hold; returns body's status, or
  // `unavailable` when the lock could not be taken.
  virtual Status with_migration_lock(const std::function<Status()>& body) = 0;
};

// A fixed number of connections, each lent to one caller at a time. A slot may be empty
// (PostgreSQL: not connected yet, or dropped after it broke); the borrower fills it.
template <class Connection>
class Pool {
 public:
  using Slot = std::unique_ptr<Connection>;

  explicit Pool(std::vector<Slot> slots) : idle_(std::move(slots)) {}

  // Gives the slot back to the pool when it goes out of scope.
  class Lease {
   public:
    Lease(Pool& pool, Slot slot) : pool_(&pool), slot_(std::move(slot)) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), slot_(std::move(other.slot_)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->give_back(std::move(slot_));
    }
    Slot& slot() { return slot_; }

   private:
    Pool* pool_;
    Slot slot_;
  };

  // Waits up to `timeout` for a free slot; nullopt when none became free in time.
  std::optional<Lease> acquire(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_for(lock, timeout, [this] { return !idle_.empty(); })) return std::nullopt;
    Slot slot = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(slot));
  }

 private:
  void give_back(Slot slot) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(slot));
    }
    freed_.notify_one();
  }

  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<Slot> idle_;
};

// "INSERT INTO t VALUES ($1)\n  …" shortened to one line for log details (never values).
std::string describe_sql(std::string_view sql);

Result<std::unique_ptr<Storage>> open_sqlite(const std::string& path, const Options& options);
Result<std::unique_ptr<Storage>> open_postgres(const Options& options);

}  // namespace ik::storage::detail
