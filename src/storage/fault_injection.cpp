#include "storage/backend.hpp"

namespace ik::storage {

// Counts the statements of one transaction against the storage's budget and fails the chosen
// one before it reaches the database.
class FaultInjectingStorage::Wrapped final : public detail::ScriptTransaction {
 public:
  Wrapped(Transaction& inner, FaultInjectingStorage& owner) : inner_(inner), owner_(owner) {}

  Result<Rows> query(std::string_view sql, const Params& params) override {
    IK_TRY(admit());
    return remember(inner_.query(sql, params));
  }

  Result<std::int64_t> execute(std::string_view sql, const Params& params) override {
    IK_TRY(admit());
    return remember(inner_.execute(sql, params));
  }

  Status run_script(std::string_view script) override {
    IK_TRY(admit());
    return remember(dynamic_cast<detail::ScriptTransaction&>(inner_).run_script(script));
  }

 private:
  Status admit() {
    IK_TRY(refuse_after_failure());
    if (++owner_.seen_ == owner_.fail_at_) return remember(Status(Error::unavailable("injected fault")));
    return {};
  }

  Transaction& inner_;
  FaultInjectingStorage& owner_;
};

Status FaultInjectingStorage::write(const Work& work) {
  return inner_.write([&](Transaction& transaction) {
    Wrapped wrapped(transaction, *this);
    return detail::outcome_of(work(wrapped), wrapped);
  });
}

Status FaultInjectingStorage::read(const Work& work) {
  return inner_.read([&](Transaction& transaction) {
    Wrapped wrapped(transaction, *this);
    return detail::outcome_of(work(wrapped), wrapped);
  });
}

}  // namespace ik::storage
