-- Records: actions can be linked to one; archiving it keeps them active and visible.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
DROP ROLE IF EXISTS rc_manager, rc_user;
CREATE ROLE rc_manager LOGIN;
CREATE ROLE rc_user LOGIN;
SELECT actions.create_person('mia@example.com', 'Mia', 'rc_manager') AS mia \gset
SELECT actions.create_person('ulf@example.com', 'Ulf', 'rc_user') AS ulf \gset
SELECT actions.create_workspace('Records Inc') AS ws \gset
SELECT actions.add_member(:ws, :mia, 'manager');
SELECT actions.add_member(:ws, :ulf, 'user');

SET SESSION AUTHORIZATION rc_manager;
SELECT actions.create_record(:ws, 'Delegation of signing authority', kind => 'delegation') AS rec \gset
SELECT actions.create_action(:ws, 'Confirm signatory list', assignee_id => :ulf, record_id => :rec) AS a1 \gset
SELECT actions.archive_record(:rec);
-- Archived: its action is still open and assigned; no new action may be linked to it.
SELECT actions.create_action(:ws, 'Another step', record_id => :rec);
SELECT actions.archive_record(:rec);
RESET SESSION AUTHORIZATION;
SELECT r.kind, r.archived, a.title, a.status, a.assignee_id = :ulf AS for_ulf
  FROM actions.record r JOIN actions.action a USING (workspace_id, record_id) WHERE r.record_id = :rec;

-- A plain user may not archive records, and the action is still completed normally.
SET SESSION AUTHORIZATION rc_user;
SELECT actions.archive_record(:rec);
SELECT actions.complete(:a1);
RESET SESSION AUTHORIZATION;
SELECT status FROM actions.action WHERE action_id = :a1;
SELECT event, new_value IN ('Confirm signatory list', :'ulf', 'complete') AS expected_value,
       (detail ->> 'record_id')::bigint = :rec AS links_record
  FROM actions.activity WHERE action_id = :a1 ORDER BY seq;
DROP ROLE rc_manager, rc_user;
