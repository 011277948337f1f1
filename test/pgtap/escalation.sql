-- Escalation of overdue actions (core/escalation.hpp, api/escalation_rules.cpp): rules need
-- manage_workspace and valid input; escalate_overdue() fires each due rule once per action and due
-- date (again when the due date moves), notifies the owner or a role's active holders or reassigns
-- (absence routing applies) or to a pool (a group or role: unassigned and offered, claimable),
-- logs an escalated entry, and runs as a task of run_maintenance().
BEGIN;
SELECT plan(40);

CREATE ROLE es_owner LOGIN; CREATE ROLE es_user LOGIN; CREATE ROLE es_boss LOGIN; CREATE ROLE es_boss2 LOGIN;
SELECT actions.create_person('es-owner@example.com', 'Owner', 'es_owner') AS owner,
       actions.create_person('es-user@example.com', 'User', 'es_user') AS usr,
       actions.create_person('es-boss@example.com', 'Boss', 'es_boss') AS boss,
       actions.create_person('es-boss2@example.com', 'Boss 2', 'es_boss2') AS boss2,
       actions.create_person('es-gone@example.com', 'Gone') AS gone,
       actions.create_person('es-helper@example.com', 'Helper') AS helper
\gset
SELECT actions.create_workspace('Escalation Co', owner_id => :owner) AS ws \gset
SET SESSION AUTHORIZATION es_owner;
SELECT actions.create_role(:ws, 'escalations', '{view_actions}') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SELECT actions.add_member(:ws, :boss, 'escalations') \g /dev/null
SELECT actions.add_member(:ws, :boss2, 'escalations') \g /dev/null
SELECT actions.add_member(:ws, :gone, 'escalations') \g /dev/null
SELECT actions.add_member(:ws, :helper, 'user') \g /dev/null
UPDATE actions.member SET state = 'removed' WHERE workspace_id = :ws AND person_id = :gone;

-- Rules: who may, and bad input (nothing written).
SET SESSION AUTHORIZATION es_user;
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, 1, ''notify_owner'')', :ws), '42501', NULL,
    'a rule needs manage_workspace');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION es_owner;
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, 1, ''email_everyone'')', :ws), '22023',
    'unknown escalation "email_everyone"', 'an unknown escalation: 22023');
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, -1, ''notify_owner'')', :ws), '22023', NULL, 'negative days: 22023');
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, 1, ''notify_role'')', :ws), '22023',
    'notify_role needs a role_name', 'notify_role without a role: 22023');
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, 1, ''notify_role'', role_name => ''ghosts'')', :ws), '22023',
    'role "ghosts" not found in the workspace', 'an unknown role: 22023');
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, 1, ''reassign'', person_id => %s)', :ws, :gone), '22023',
    format('person %s is not an active member of the workspace', :gone), 'reassign to a removed member: 22023');
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, 1, ''notify_owner'', person_id => %s)', :ws, :boss), '22023',
    'person_id is only for reassign', 'a person for a notify rule: 22023');
SELECT is((SELECT count(*) FROM actions.escalation_rule WHERE workspace_id = :ws), 0::bigint, 'the refused rules wrote nothing');

SELECT actions.create_escalation_rule(:ws, 0, 'notify_owner') AS r_owner \gset
SELECT actions.create_escalation_rule(:ws, 2, 'notify_role', role_name => 'escalations') AS r_role \gset
SELECT actions.create_escalation_rule(:ws, 5, 'reassign', person_id => :boss) AS r_reassign \gset
-- Late: 3 days overdue; Fresh: 1 hour overdue; Future: not due; Done: complete and overdue.
SELECT actions.create_action(:ws, 'Late', assignee_id => :usr, due_at => now() + interval '1 day') AS late \gset
SELECT actions.create_action(:ws, 'Fresh', assignee_id => :usr, due_at => now() + interval '1 day') AS fresh \gset
SELECT actions.create_action(:ws, 'Future', assignee_id => :usr, due_at => now() + interval '1 day') AS future \gset
SELECT actions.create_action(:ws, 'Done', assignee_id => :usr, due_at => now() + interval '1 day') AS done \gset
SELECT actions.complete(:done) \g /dev/null
RESET SESSION AUTHORIZATION;
SET LOCAL session_replication_role = replica;  -- time passes
UPDATE actions.action SET due_at = now() - interval '3 days' WHERE action_id IN (:late, :done);
UPDATE actions.action SET due_at = now() - interval '1 hour' WHERE action_id = :fresh;
SET LOCAL session_replication_role = origin;

SELECT is(actions.escalate_overdue(), 3::bigint, 'the sweep fires what is due: owner and role for Late, owner for Fresh');
SELECT set_eq(format('SELECT rule_id, action_id FROM actions.escalation_fired WHERE workspace_id = %s', :ws),
    format('VALUES (%s::bigint, %s::bigint), (%s, %s), (%s, %s)', :r_owner, :late, :r_role, :late, :r_owner, :fresh),
    'one firing per due rule and action; none for a future or complete action, none before its days');
SELECT set_eq(format($$ SELECT person_id FROM actions.notification WHERE action_id = %s AND kind = 'escalated' $$, :late),
    format('VALUES (%s::bigint), (%s), (%s)', :owner, :boss, :boss2),
    'the owner and the active holders of the role are notified (not the removed one)');
SELECT is((SELECT detail FROM actions.activity WHERE action_id = :late AND event = 'escalated' AND new_value = :r_role::text),
    format('{"role": "escalations", "due_at": "%s", "rule_id": %s, "escalate": "notify_role", "notified": [%s, %s], "after_days": 2}',
           to_char((SELECT due_at FROM actions.action WHERE action_id = :late) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           :r_role, :boss, :boss2)::jsonb,
    'the log entry says which rule fired and whom it notified');
SELECT is(actions.escalate_overdue(), 0::bigint, 'a second sweep fires nothing');
SELECT is((SELECT count(*) FROM actions.notification WHERE action_id = :late AND kind = 'escalated'), 3::bigint, '... and notifies nobody again');

-- Reassign (after 5 days), through the absence routing.
SET LOCAL session_replication_role = replica;
UPDATE actions.action SET due_at = now() - interval '6 days' WHERE action_id = :late;
SET LOCAL session_replication_role = origin;
SET SESSION AUTHORIZATION es_boss;
SELECT actions.declare_absence(:ws, now() - interval '1 hour', now() + interval '1 day', :helper) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(actions.escalate_overdue(), 3::bigint, 'the due date moved: the rules fire again for the new due date, the reassign rule too');
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :late), :helper::bigint,
    'reassign to a person who is away: the action goes to their substitute');
SELECT results_eq(format($$ SELECT event, new_value FROM actions.activity WHERE action_id = %s AND event IN ('escalated', 'reassigned') ORDER BY seq $$, :late),
    format($$ VALUES ('escalated'::text, '%s'::text), ('escalated', '%s'), ('escalated', '%s'), ('escalated', '%s'), ('reassigned', '%s'), ('escalated', '%s') $$,
           :r_owner, :r_role, :r_owner, :r_role, :helper, :r_reassign),
    'each firing is logged in the order it fired, the reassignment before its escalated entry');
SELECT is((SELECT (detail->>'reassigned_to')::bigint FROM actions.activity WHERE action_id = :late AND event = 'escalated'
            AND new_value = :r_reassign::text), :helper::bigint, 'the log says to whom it was reassigned');
SELECT is((SELECT (detail->>'instead_of')::bigint FROM actions.activity WHERE action_id = :late AND event = 'reassigned'), :boss::bigint,
    '... instead of whom');
SELECT is((SELECT count(*) FROM actions.activity WHERE action_id = :late AND event = 'escalated' AND actor_id IS NOT NULL), 0::bigint,
    'no person is named as having escalated');

-- A task of the maintenance sweep.
SELECT is((SELECT position FROM actions.maintenance_status WHERE task = 'escalate_overdue'), 3, 'escalate_overdue is a maintenance task, after the reminders');
SET LOCAL session_replication_role = replica;
UPDATE actions.action SET due_at = now() - interval '1 day' WHERE action_id = :future;
SET LOCAL session_replication_role = origin;
SELECT is((SELECT backlog FROM actions.maintenance_status WHERE task = 'escalate_overdue'), 1::bigint, 'its backlog counts the due firings');
SELECT is((SELECT rows_affected FROM actions.run_maintenance() WHERE task = 'escalate_overdue'), 1::bigint, 'run_maintenance() runs it');

-- Rules are read by members, deleted by managers.
SET SESSION AUTHORIZATION es_user;
SELECT is((SELECT count(*) FROM actions.escalation_rule), 3::bigint, 'members read the workspace''s rules');
SELECT throws_ok(format('SELECT actions.delete_escalation_rule(%s)', :r_owner), '42501', NULL, 'deleting a rule needs manage_workspace');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION es_owner;
SELECT lives_ok(format('SELECT actions.delete_escalation_rule(%s)', :r_owner), 'a manager deletes a rule');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.activity WHERE workspace_id = :ws AND new_value = :r_owner::text AND event = 'escalated'), 4::bigint,
    '... its firings stay in the log');

-- Reassign to a pool: the action is unassigned and offered to a group; a member of it claims it.
SELECT actions.create_workspace('Pool Co', owner_id => :owner) AS ws2 \gset
SELECT actions.add_member(:ws2, :usr, 'user'), actions.add_member(:ws2, :boss, 'user'), actions.add_member(:ws2, :boss2, 'user') \g /dev/null
SET SESSION AUTHORIZATION es_owner;
SELECT actions.create_group(:ws2, 'Duty') AS duty \gset
SELECT actions.create_group(:ws, 'Elsewhere') AS elsewhere \gset
SELECT actions.add_group_member(:duty, :boss), actions.add_group_member(:duty, :boss2) \g /dev/null
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, 1, ''reassign_pool'')', :ws2), '22023',
    'reassign_pool needs a role_name or a group_id, not both', 'a pool rule without a pool: 22023');
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, 1, ''reassign_pool'', role_name => ''user'', group_id => %s)', :ws2, :duty), '22023',
    'reassign_pool needs a role_name or a group_id, not both', 'a pool rule with two pools: 22023');
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, 1, ''reassign_pool'', group_id => %s)', :ws2, :elsewhere), 'P0002',
    format('group %s not found in the workspace', :elsewhere), 'a group of another workspace: not found');
SELECT throws_ok(format('SELECT actions.create_escalation_rule(%s, 1, ''notify_owner'', group_id => %s)', :ws2, :duty), '22023',
    'group_id is only for reassign_pool', 'a group for another kind: 22023');
SELECT actions.create_escalation_rule(:ws2, 1, 'reassign_pool', group_id => :duty) AS r_pool \gset
SELECT actions.create_action(:ws2, 'Pool me', assignee_id => :usr, due_at => now() + interval '1 day') AS pooled \gset
RESET SESSION AUTHORIZATION;
SET LOCAL session_replication_role = replica;
UPDATE actions.action SET due_at = now() - interval '2 days' WHERE action_id = :pooled;
SET LOCAL session_replication_role = origin;
SELECT is(actions.escalate_overdue(), 1::bigint, 'the sweep fires the pool rule (only it is due)');
SELECT results_eq(format('SELECT assignee_id, offered FROM actions.action WHERE action_id = %s', :pooled),
    $$ VALUES (NULL::bigint, true) $$, 'the action is unassigned and offered');
SELECT results_eq(format('SELECT group_id, offered_by FROM actions.action_offer WHERE action_id = %s', :pooled),
    format('VALUES (%s::bigint, NULL::bigint)', :duty), '... to the rule''s group, by no person');
SELECT set_eq(format($$ SELECT person_id FROM actions.notification WHERE action_id = %s AND kind = 'offered' $$, :pooled),
    format('VALUES (%s::bigint), (%s)', :boss, :boss2), 'the group''s members are told it is offered');
SELECT results_eq(format($$ SELECT (detail->>'group_id')::bigint, (detail->>'candidates')::int FROM actions.activity
                             WHERE action_id = %s AND event = 'escalated' $$, :pooled),
    format('VALUES (%s::bigint, 2)', :duty), 'the escalated entry names the pool and how many it reaches');
SET SESSION AUTHORIZATION es_boss;
SELECT lives_ok(format('SELECT actions.claim(%s)', :pooled), 'a member of the pool claims it');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :pooled), :boss::bigint, '... and is its assignee');

-- A pool rule whose role was renamed since leaves the action alone and does not fail the sweep.
SET SESSION AUTHORIZATION es_owner;
SELECT actions.create_role(:ws2, 'night shift', '{view_actions}') \g /dev/null
SELECT actions.create_escalation_rule(:ws2, 3, 'reassign_pool', role_name => 'night shift') AS r_night \gset
SELECT actions.update_role(:ws2, 'night shift', 'late shift', '{view_actions}') \g /dev/null
SELECT actions.create_action(:ws2, 'Nobody to offer to', assignee_id => :usr, due_at => now() + interval '1 day') AS lonely \gset
RESET SESSION AUTHORIZATION;
SET LOCAL session_replication_role = replica;
UPDATE actions.action SET due_at = now() - interval '4 days' WHERE action_id = :lonely;
SET LOCAL session_replication_role = origin;
SELECT is(actions.escalate_overdue(), 2::bigint, 'both pool rules fire for the action, the one whose role is gone too');
SELECT is((SELECT detail->'candidates' FROM actions.activity WHERE action_id = :lonely AND event = 'escalated'
            AND new_value = :r_night::text), 'null'::jsonb, '... which offered it to no one, and says so');

SELECT * FROM finish();
ROLLBACK;
