// Procedures: actions.procedure, procedure_step, procedure_setting, procedure_run, procedure_action. (see procedure_store.hpp).
#include "pg/store/procedure_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store
