// Maintenance runs: actions.maintenance_run (errors: sweep_errors.hpp). (see maintenance_store.hpp).
#include "pg/store/maintenance_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

const char* const cron_schedule_in_database_sql = "SELECT cron.schedule_in_database($1, $2, $3, $4)";
const char* const cron_unschedule_in_database_sql =
    "SELECT count(cron.unschedule(j.jobid)) FROM cron.job j WHERE j.jobname = $1 AND j.database = $2";

void unschedule_maintenance_quietly() {
    static Statement q("SELECT actions.unschedule_maintenance(quiet => true)", {});
    q.exec();
}

}  // namespace pg_actions::pg::store
