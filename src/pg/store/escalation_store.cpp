// Escalation rules and their firings: actions.escalation_rule, escalation_fired. (see escalation_store.hpp).
#include "pg/store/escalation_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store
