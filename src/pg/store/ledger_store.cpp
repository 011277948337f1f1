// The ledger: actions.ledger_seal, ledger_leaf, verify_run. (see ledger_store.hpp).
#include "pg/store/ledger_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store
