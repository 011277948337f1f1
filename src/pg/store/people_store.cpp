// People, workspaces and trusted services: actions.person, workspace, trusted_service. (see people_store.hpp).
#include "pg/store/people_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

bool person_exists(std::int64_t person_id) {
    static Statement q("SELECT 1 FROM actions.person p WHERE p.person_id = $1", {INT8OID});
    return q.exec(person_id) == 1;
}

}  // namespace pg_actions::pg::store
