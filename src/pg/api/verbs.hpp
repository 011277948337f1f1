// The bodies of the single-action verbs, outside their entry() boundary, so the bulk functions
// (bulk.cpp) run exactly the code the single functions run, row by row: the same argument checks,
// facts, core decisions, locks and writes (and through the triggers the same log entries and
// notifications). Each reads its arguments from fcinfo in the order of its SQL signature and
// throws PgError on a refusal; the caller runs it inside entry().
#pragma once

#include "pg/boundary/postgres.hpp"

namespace pg_actions::pg {

Datum create_action_body(FunctionCallInfo fcinfo);      // (workspace_id, title, description, assignee_id,
                                                        //  due_at, due_on, priority, type, record_id, group_ids)
Datum reassign_body(FunctionCallInfo fcinfo);           // (action_id, assignee_id)
Datum start_body(FunctionCallInfo fcinfo);              // (action_id)
Datum uncomplete_body(FunctionCallInfo fcinfo);         // (action_id)
Datum complete_body(FunctionCallInfo fcinfo);           // (action_id, evidence, evidence_name, evidence_type)
Datum cancel_body(FunctionCallInfo fcinfo);             // (action_id, reason)
Datum update_action_body(FunctionCallInfo fcinfo);      // (action_id, title, description, due_at, due_on,
                                                        //  priority, clear_due)
Datum delete_action_body(FunctionCallInfo fcinfo);      // (action_id)
Datum set_action_groups_body(FunctionCallInfo fcinfo);  // (action_id, group_ids)

}  // namespace pg_actions::pg
