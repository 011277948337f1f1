-- The life of an action, through the SQL API, as a person would use it.
-- Identity comes from session_user: each person logs in with their own role.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
DROP ROLE IF EXISTS lc_alice, lc_bob, lc_carol;
CREATE ROLE lc_alice LOGIN;
CREATE ROLE lc_bob LOGIN;
CREATE ROLE lc_carol LOGIN;

SELECT actions.create_person('alice@example.com', 'Alice', 'lc_alice') AS alice \gset
SELECT actions.create_person('bob@example.com', 'Bob', 'lc_bob') AS bob \gset
SELECT actions.create_person('carol@example.com', 'Carol', 'lc_carol') AS carol \gset
SELECT actions.create_workspace('Acme', 'Europe/Berlin',
       'https://app.example/w/{workspace_id}/actions/{action_id}', owner_id => :alice) AS ws \gset
SELECT actions.add_member(:ws, :bob, 'user');
SELECT actions.add_member(:ws, :carol, 'actions_access');

-- Every workspace starts with the system roles.
SELECT name, billable, permissions FROM actions.role WHERE workspace_id = :ws ORDER BY role_id;

-- Alice creates a standalone action for Bob, due at the end of a day in Berlin.
SET SESSION AUTHORIZATION lc_alice;
SELECT actions.current_actor() = :alice AS alice_acts;
SELECT actions.create_action(:ws, 'Renew the insurance', description => 'Compare three offers',
       assignee_id => :bob, due_on => '2031-03-31', priority => 'high') AS a1 \gset
RESET SESSION AUTHORIZATION;
SELECT title, status, priority, type, owner_id = :alice AS by_alice, assignee_id = :bob AS for_bob,
       due_at FROM actions.action WHERE action_id = :a1;

-- Bob works on it and completes it with one evidence file.
SET SESSION AUTHORIZATION lc_bob;
SELECT actions.start(:a1);
SELECT actions.complete(:a1, evidence => convert_to('signed policy', 'UTF8'),
       evidence_name => 'policy.pdf', evidence_type => 'application/pdf');
RESET SESSION AUTHORIZATION;
SELECT a.status, a.completed_by = :bob AS by_bob, e.name, e.content_type, e.size_bytes,
       encode(e.sha256, 'hex') = encode(sha256(convert_to('signed policy', 'UTF8')), 'hex') AS sha_ok
  FROM actions.action a JOIN actions.evidence e USING (workspace_id, evidence_id)
 WHERE a.action_id = :a1;

-- It was marked done in error: Alice (an owner) un-completes it; it returns to in_progress.
SET SESSION AUTHORIZATION lc_alice;
SELECT actions.uncomplete(:a1);
RESET SESSION AUTHORIZATION;
SELECT status, completed_at IS NULL AS reopened FROM actions.action WHERE action_id = :a1;
SET SESSION AUTHORIZATION lc_alice;

-- Reassignment to Carol, who was invited with the non-billable actions_access role.
SELECT actions.reassign(:a1, :carol);
-- Edits: title and priority; NULL leaves a field as it is.
SELECT actions.update_action(:a1, title => 'Renew the car insurance', priority => 'medium');
RESET SESSION AUTHORIZATION;

-- Carol may complete what is assigned to her, but never reassign it.
SET SESSION AUTHORIZATION lc_carol;
SELECT actions.reassign(:a1, :bob);
SELECT actions.complete(:a1);
RESET SESSION AUTHORIZATION;

-- A second action is cancelled, with a reason, and then cannot be completed.
SET SESSION AUTHORIZATION lc_alice;
SELECT actions.create_action(:ws, 'Order new badges') AS a2 \gset
SELECT actions.cancel(:a2, 'supplier changed');
SELECT actions.complete(:a2);
-- Assigning to yourself sends no notification.
SELECT actions.create_action(:ws, 'Book the venue', assignee_id => :alice) AS a3 \gset
SELECT actions.delete_action(:a3);
RESET SESSION AUTHORIZATION;

-- The activity log tells the whole story, with old and new values.
SELECT action_id - :a1 AS action, seq, event, old_value, new_value,
       detail - 'evidence_id' - 'sha256' AS detail, actor_id = :alice AS alice, db_role
  FROM actions.activity WHERE workspace_id = :ws ORDER BY action_id, seq;

-- Notifications: one per assignment to someone else, with a direct link.
SELECT person_id = :bob AS bob, person_id = :carol AS carol, kind,
       link = format('https://app.example/w/%s/actions/%s', :ws, :a1) AS link_ok
  FROM actions.notification WHERE workspace_id = :ws ORDER BY notification_id;

-- The chain is intact.
SELECT * FROM actions.verify_log(:ws);

DROP ROLE lc_alice, lc_bob, lc_carol;
