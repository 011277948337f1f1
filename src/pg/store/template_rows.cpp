// Templates: actions.template, template_version. (see template_rows.hpp).
#include "pg/store/template_rows.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store
