// In-app notifications: a row in actions.notification (the outbox an application's mailer reads)
// and NOTIFY pg_actions whose payload is the notification's id, sent when the transaction commits
// (on a Citus worker the row is marked relay_pending instead, and the coordinator's relay,
// actions.relay_notifications(), sends it).
#pragma once

#include "pg/boundary/boundary.hpp"

#include "core/catalog.hpp"

#include <cstddef>
#include <cstdint>

namespace pg_actions::pg {

// kind: assigned, reassigned, due_soon, overdue or invited. Nothing is sent when the workspace
// turned the kind off or the person opted out of it (notify returns false). The link is the workspace's action URL template
// filled in for the action. The payload carries ids and the link, never an invitation token:
// any role may LISTEN.
bool notify(core::NotificationKind kind, std::int64_t workspace_id, std::int64_t person_id, std::int64_t action_id);

// A due_soon or overdue reminder: sent at most once per action, kind and due date, also when two
// sweeps run at once (actions.reminder's primary key decides). True when it was sent now.
bool remind(core::NotificationKind kind, std::int64_t workspace_id, std::int64_t person_id, std::int64_t action_id,
            TimestampTz due_at);

// Digests of bulk calls. While a DigestScope lives (a bulk function runs), assigned and reassigned
// notifications for a workspace whose bulk_notification is 'digest' are held instead of sent
// (settings and opt-outs decided as for any notification); digest_flush() then sends one per
// workspace, person and kind: action_id the lowest of the actions, action_ids all of them, the
// link that of action_id, one NOTIFY. A rolled-back subtransaction drops what it held
// (digest_mark / digest_rollback). Workspaces with 'each' get one notification per action.
class DigestScope : Uncopyable {
public:
    DigestScope();
    ~DigestScope();
};
std::size_t digest_mark();
void digest_rollback(std::size_t mark);
void digest_flush();
void digest_reset();  // at transaction end

}  // namespace pg_actions::pg
