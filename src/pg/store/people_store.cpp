// People, workspaces and trusted services: actions.person, workspace, trusted_service. (see people_store.hpp).
#include "pg/store/people_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store
