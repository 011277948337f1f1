// Recurring schedules: actions.schedule, schedule_occurrence. (see schedule_store.hpp).
#include "pg/store/schedule_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store
