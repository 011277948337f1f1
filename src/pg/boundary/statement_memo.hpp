// How long what a question read may be remembered: one statement of one transaction, one command
// (a write in between starts over), no rollback of a subtransaction in between, and one owner (an
// actor or a workspace). The per-statement memos of can(), why_not() and the eligibility questions
// all ask here.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>

namespace pg_actions::pg {

struct StatementStamp {
    LocalTransactionId lxid = InvalidLocalTransactionId;
    TimestampTz statement = 0;
    CommandId command = InvalidCommandId;
    std::uint64_t generation = 0;  // rollback_generation(): a rolled-back subtransaction starts over
    std::int64_t owner = 0;
    // Records where we are now; true when that differs from the last call, and what was kept must
    // be forgotten.
    bool moved_on(std::int64_t for_owner);
};

}  // namespace pg_actions::pg
