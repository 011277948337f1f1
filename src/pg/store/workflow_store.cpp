// Action types and workflow settings: actions.action_type, workflow_setting. (see workflow_store.hpp).
#include "pg/store/workflow_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store
