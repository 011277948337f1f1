// The maintenance sweeps' unexpected errors, recorded per item (sweep_errors.hpp).
#include "pg/boundary/postgres.hpp"

#include "pg/boundary/module.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/sweep_errors.hpp"

namespace pg_actions::pg {

void record_sweep_error(const char* task, std::int64_t workspace_id, const char* item, std::int64_t item_id,
                        int sqlstate, const std::string& message) {
    static Statement record("SELECT actions.record_maintenance_error($1, $2, $3, $4, $5, $6)",
                            {TEXTOID, INT8OID, TEXTOID, INT8OID, TEXTOID, TEXTOID});
    Datum v[6] = {text_datum(task),        Int64GetDatum(workspace_id),           text_datum(item),
                  Int64GetDatum(item_id), text_datum(unpack_sql_state(sqlstate)), text_datum(message)};
    char nulls[6] = {' ', workspace_id ? ' ' : 'n', ' ', ' ', ' ', ' '};
    record.run(v, nulls, 0);
}

void SweepItems::failed(std::int64_t workspace_id, const char* item, std::int64_t item_id, int sqlstate,
                        const std::string& message) {
    if (failed_++ == 0) {
        first_sqlstate_ = sqlstate;
        first_message_ = message;
    }
    record_sweep_error(task_, workspace_id, item, item_id, sqlstate, message);
}

void SweepItems::finish() const {
    if (failed_ > 0 && succeeded_ == 0)
        throw PgError(first_sqlstate_, first_message_,
                      "every item of the batch (" + std::to_string(failed_) + ") failed",
                      "SELECT * FROM actions.maintenance_status shows every task's last run");
}

Datum sweep_batch_datum() { return Int64GetDatum(static_cast<std::int64_t>(sweep_batch_size)); }

}  // namespace pg_actions::pg
