// Maintenance runs: actions.maintenance_run (errors: sweep_errors.hpp). (see maintenance_store.hpp).
#include "pg/store/maintenance_store.hpp"

#include "pg/boundary/spi.hpp"
#include "pg/store/direct.hpp"

#include <algorithm>
#include <deque>
#include <unordered_map>

namespace pg_actions::pg::store {

const char* const cron_schedule_in_database_sql = "SELECT cron.schedule_in_database($1, $2, $3, $4)";
const char* const cron_unschedule_in_database_sql =
    "SELECT count(cron.unschedule(j.jobid)) FROM cron.job j WHERE j.jobname = $1 AND j.database = $2";

void unschedule_maintenance_quietly() {
    static Statement q("SELECT actions.unschedule_maintenance(quiet => true)", {});
    q.exec();
}

bool is_maintenance_task(const std::string& task) {
    static Statement q("SELECT 1 FROM actions.maintenance_status s WHERE s.task = $1", {TEXTOID});
    return q.exec_limit(1, task) == 1;
}

std::int64_t run_task(const std::string& task) {
    // One kept statement per task (a handful: the names is_maintenance_task() accepts), its text
    // kept beside it; the name quoted all the same.
    static auto* texts = new std::deque<std::string>();
    static auto* statements = new std::unordered_map<std::string, Statement>();
    auto it = statements->find(task);
    if (it == statements->end()) {
        const char* quoted = guard([&] { return quote_identifier(task.c_str()); });
        texts->push_back(std::string("SELECT actions.") + quoted + "()");
        it = statements->emplace(task, Statement(texts->back().c_str(), {})).first;
    }
    if (it->second.exec() != 1 || is_null(0, 1)) return 0;
    return get_int64(0, 1);
}

std::vector<std::int64_t> workspaces_placed_here() {
    std::int64_t* ids = nullptr;
    int n = guard([&] { return direct::scan_int64("workspace", "workspace_pkey", direct::by_id, 0, nullptr, "workspace_id", &ids); });
    std::vector<std::int64_t> out(ids, ids + n);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace pg_actions::pg::store
