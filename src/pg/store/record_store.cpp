// Records: actions.record_kind, record, record_party, tracked_table. (see record_store.hpp).
#include "pg/store/record_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store
