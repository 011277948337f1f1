// Maintenance runs: actions.maintenance_run (errors: sweep_errors.hpp). (see maintenance_store.hpp).
#include "pg/store/maintenance_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store
