-- The policies' helpers answer what the sub-selects they replace answered: actions.sees_action_of()
-- (C, no SQL: src/pg/api/action_policy.cpp) is whether the caller reads the action in
-- actions.action under its own row-level security, for every caller and action.
BEGIN;

CREATE ROLE ph_owner LOGIN;
CREATE ROLE ph_access LOGIN;
CREATE ROLE ph_inquiry LOGIN;
CREATE ROLE ph_outsider LOGIN;
SELECT actions.create_person('ph-owner@example.com', 'Owner', 'ph_owner') AS owner \gset
SELECT actions.create_person('ph-access@example.com', 'Access', 'ph_access') AS access \gset
SELECT actions.create_person('ph-inquiry@example.com', 'Inquiry', 'ph_inquiry') AS inquiry \gset
SELECT actions.create_person('ph-outsider@example.com', 'Outsider', 'ph_outsider') AS outsider \gset
SELECT actions.create_workspace('Helpers Co', owner_id => :owner) AS ws \gset
SELECT actions.create_workspace('Helpers elsewhere', owner_id => :outsider) AS other_ws \gset
SELECT actions.add_member(:ws, :access, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :inquiry, 'inquiry') \g /dev/null

SET SESSION AUTHORIZATION ph_owner;
SELECT actions.create_action(:ws, 'For access', assignee_id => :access) AS mine \gset
SELECT actions.create_action(:ws, 'Not for access') \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ph_outsider;
SELECT actions.create_action(:other_ws, 'Elsewhere') \g /dev/null
RESET SESSION AUTHORIZATION;

-- Every action id of both workspaces and one that does not exist, as each caller sees them.
CREATE TEMP TABLE ph_cases AS
    SELECT a.workspace_id, a.action_id FROM actions.action a WHERE a.workspace_id IN (:ws, :other_ws)
    UNION ALL SELECT :ws, 0;
GRANT SELECT ON ph_cases TO PUBLIC;
CREATE TEMP TABLE ph_answers (who text, workspace_id bigint, action_id bigint, helper boolean, reads boolean);
GRANT INSERT ON ph_answers TO PUBLIC;
\set ask 'INSERT INTO ph_answers SELECT current_user, c.workspace_id, c.action_id, actions.sees_action_of(c.workspace_id, c.action_id), EXISTS (SELECT 1 FROM actions.action a WHERE a.workspace_id = c.workspace_id AND a.action_id = c.action_id) FROM ph_cases c'
SET SESSION AUTHORIZATION ph_owner;
:ask;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ph_access;
:ask;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ph_inquiry;
:ask;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ph_outsider;
:ask;
RESET SESSION AUTHORIZATION;
:ask;

SELECT plan(7);
SELECT is((SELECT count(*) FROM ph_answers), 5 * 4::bigint, 'five callers asked about four actions');
SELECT is_empty($$ SELECT * FROM ph_answers WHERE helper IS DISTINCT FROM reads $$,
    'sees_action_of() answers what reading actions.action under the caller''s row-level security answers, for every caller and action');
SELECT is((SELECT array_agg(action_id ORDER BY action_id) FROM ph_answers WHERE who = 'ph_access' AND helper),
          ARRAY[:mine::bigint], 'a member with actions_access sees only the action assigned to them');
SELECT is((SELECT count(*) FROM ph_answers WHERE who = 'ph_inquiry' AND helper), 2::bigint,
          'a member with view_actions sees every action of the workspace, none elsewhere');
SELECT is((SELECT count(*) FROM ph_answers WHERE who = current_user AND helper), 3::bigint,
          'the superuser (no row-level security) sees every action that exists');
SELECT is(actions.sees_action_of(NULL, :mine), false, 'no workspace: false');
SELECT is(actions.sees_action_of(:ws, NULL), false, 'no action: false');

SELECT * FROM finish();
ROLLBACK;
