// The row runner of the bulk functions (api/bulk.cpp): the array argument, each row's work in
// an internal subtransaction, in chunks of up to chunk_rows with a row-by-row retry of a chunk
// that fails, and the result rows. See bulk.cpp's header comment for the rules.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pg_actions::pg {

struct RowResult {
    std::int64_t action_id = 0;
    bool ok = false;
    std::string sqlstate;  // empty: NULL
    std::string message;
    std::optional<std::int64_t> new_id;
};

// A row's work: act on one action id; returns the new id of a duplicate.
using RowFn = std::function<std::optional<std::int64_t>(std::int64_t)>;
// A chunk's work, all or nothing: by default each row's work in turn.
using ChunkFn = std::function<void(const std::vector<std::int64_t>&)>;

// An error caught in a subtransaction: its SQLSTATE and message.
struct Caught {
    int code;
    std::string message;
};
std::string sqlstate_text(int code);
// Runs f inside an internal subtransaction; true when it committed. On failure the subtransaction
// is rolled back (with every write, lock, notification and SPI connection it made) and *error set;
// errors that abort the call (40xxx, 53xxx, 57xxx) are rethrown after the rollback. Also the
// schedule sweep's (api/schedule_sweep.cpp) unit of work.
bool in_subtransaction(const std::function<void()>& f, Caught* error);

// The array of ids (argument 0): not NULL, no NULL element, at most pg_actions.bulk_max_ids elements.
std::vector<std::int64_t> ids_arg(FunctionCallInfo fcinfo);

// Every distinct id once, in ascending order, chunk by chunk; one result per element of ids.
std::vector<RowResult> run_rows(const std::vector<std::int64_t>& ids, const RowFn& row, const ChunkFn& chunk = nullptr);

// The rows of a bulk call, after the digests it held are sent.
Datum return_rows(FunctionCallInfo fcinfo, const std::vector<RowResult>& results);

}  // namespace pg_actions::pg
