// When what a question read must be forgotten (see statement_memo.hpp).
#include "pg/boundary/statement_memo.hpp"
#include "pg/boundary/compat.hpp"

#include "pg/identity/actor.hpp"

namespace pg_actions::pg {

bool StatementStamp::moved_on(std::int64_t for_owner) {
    LocalTransactionId now_lxid = compat::local_xid();
    TimestampTz now_statement = GetCurrentStatementStartTimestamp();
    CommandId now_command = GetCurrentCommandId(false);
    std::uint64_t now_generation = rollback_generation();
    if (lxid == now_lxid && statement == now_statement && command == now_command && generation == now_generation &&
        owner == for_owner)
        return false;
    generation = now_generation;
    lxid = now_lxid;
    statement = now_statement;
    command = now_command;
    owner = for_owner;
    return true;
}

}  // namespace pg_actions::pg
