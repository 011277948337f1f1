// In-app notifications: a row in actions.notification (the outbox an application's mailer reads)
// and NOTIFY pg_actions with a JSON payload, sent when the transaction commits.
#pragma once

#include <cstdint>

namespace pg_actions::pg {

// kind: assigned, reassigned or invitation. The link is the workspace's action URL template
// filled in for the action. The payload carries ids and the link, never an invitation token:
// any role may LISTEN.
void notify(const char* kind, std::int64_t workspace_id, std::int64_t person_id, std::int64_t action_id);

}  // namespace pg_actions::pg
