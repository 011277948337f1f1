-- pg_actions install script, part 66: keys and policies a distributed (Citus) install needs, the
-- same on a single node (docs/design.md, "On Citus"). Every primary key, unique constraint and unique
-- index of a per-workspace table includes workspace_id; foreign keys between per-workspace tables
-- name workspace_id on both sides; no foreign key leads from a global table to a per-workspace one;
-- every row-level security policy is a plain expression (no subquery): what was a sub-select is
-- asked through a STABLE function. The upgrade from 0.2 applies exactly this part.

-- Unique indexes on an id alone: the id first, so a lookup by id alone stays an index scan.
DROP INDEX actions.absence_id_idx;
CREATE UNIQUE INDEX absence_id_idx ON actions.absence (absence_id, workspace_id);
DROP INDEX actions.escalation_rule_id_idx;
CREATE UNIQUE INDEX escalation_rule_id_idx ON actions.escalation_rule (rule_id, workspace_id);
DROP INDEX actions.schedule_id_idx;
CREATE UNIQUE INDEX schedule_id_idx ON actions.schedule (schedule_id, workspace_id);
DROP INDEX actions.schedule_occurrence_action_idx;
CREATE UNIQUE INDEX schedule_occurrence_action_idx ON actions.schedule_occurrence (action_id, workspace_id);
ALTER TABLE actions.invitation DROP CONSTRAINT invitation_token_key,
    ADD CONSTRAINT invitation_token_key UNIQUE (token, workspace_id);
-- A tracked table belongs to one workspace (actions.track_table() refuses a table tracked already),
-- so its rows' records are unique by (table, key) in that workspace.
DROP INDEX actions.record_source_key;
CREATE UNIQUE INDEX record_source_key ON actions.record (source_table, source_key, workspace_id)
    WHERE source_table IS NOT NULL;
ALTER TABLE actions.tracked_table DROP CONSTRAINT tracked_table_pkey, ADD PRIMARY KEY (source, workspace_id);

-- record_party had no key (a party is a person or a group, either NULL): an identifier.
ALTER TABLE actions.record_party ADD COLUMN party_id bigint GENERATED ALWAYS AS IDENTITY,
    ADD PRIMARY KEY (workspace_id, party_id);
COMMENT ON COLUMN actions.record_party.party_id IS 'Identifier of the party row (its key with workspace_id)';
SELECT pg_catalog.pg_extension_config_dump('actions.record_party_party_id_seq', '');

-- Calendars are shared between workspaces (actions.share_calendar()), so they are global data
-- (reference tables on Citus): a calendar names its owning workspace without a foreign key.
-- Workspaces are never deleted by the API; a workspace_calendar row goes with its workspace.
ALTER TABLE actions.calendar DROP CONSTRAINT calendar_workspace_id_fkey;

-- Row-level security without subqueries. The session's questions the policies asked through a
-- sub-select (once per query, an InitPlan) are asked through actions.remembered_*(), which keep
-- each answer for the statement (src/pg/api/session_memo.cpp): a row costs a comparison, not a
-- lookup nor a SECURITY DEFINER call.
CREATE FUNCTION actions.substituted_member_keys() RETURNS actions.member_key[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_substituted_member_keys';
COMMENT ON FUNCTION actions.substituted_member_keys() IS
    'actions.substituted_members() as an array, as actions.may_see_action() takes it: the absent members the acting person stands in for now';

CREATE FUNCTION actions.remembered_ids(question regprocedure) RETURNS bigint[]
    LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'pg_actions_remembered_ids';
CREATE FUNCTION actions.remembered_flag(question regprocedure) RETURNS boolean
    LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'pg_actions_remembered_flag';
CREATE FUNCTION actions.remembered_id(question regprocedure) RETURNS bigint
    LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'pg_actions_remembered_id';
CREATE FUNCTION actions.remembered_keys(question regprocedure) RETURNS actions.member_key[]
    LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'pg_actions_remembered_keys';
COMMENT ON FUNCTION actions.remembered_ids(regprocedure) IS
    'The answer of a visibility question of the session returning bigint[] (actions.member_workspaces(), visible_workspaces(), visible_groups(), party_records(), candidate_actions()), asked once per statement and acting person: what the row-level security policies compare each row with';
COMMENT ON FUNCTION actions.remembered_flag(regprocedure) IS
    'The answer of a yes/no question of the session (actions.service_sees_all(), is_trusted_service()), asked once per statement and acting person, for the row-level security policies';
COMMENT ON FUNCTION actions.remembered_id(regprocedure) IS
    'The answer of actions.current_actor(), asked once per statement, for the row-level security policies';
COMMENT ON FUNCTION actions.remembered_keys(regprocedure) IS
    'The answer of actions.substituted_member_keys(), asked once per statement and acting person, for the row-level security policies';

-- Inlined into the policies (SQL body parsed at creation, every operator schema-qualified, no SET
-- clause), as actions.may_see_action() is.
CREATE FUNCTION actions.sees_workspace(workspace_id bigint) RETURNS boolean
    LANGUAGE sql STABLE
    RETURN actions.remembered_flag('actions.service_sees_all()')
        OR workspace_id OPERATOR(pg_catalog.=) ANY (actions.remembered_ids('actions.member_workspaces()'));
COMMENT ON FUNCTION actions.sees_workspace(bigint) IS
    'Whether the acting person reads the rows of this workspace that every member reads (roles, members, groups, templates, ...): an active member, or a trusted service that sees all';

CREATE FUNCTION actions.sees_action(workspace_id bigint, action_id bigint, record_id bigint, group_ids bigint[],
                                    assignee_id bigint, owner_id bigint, delegated_by bigint)
    RETURNS boolean LANGUAGE sql STABLE
    RETURN actions.may_see_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by,
        actions.remembered_flag('actions.service_sees_all()'),
        actions.remembered_ids('actions.visible_workspaces()'),
        actions.remembered_ids('actions.visible_groups()'),
        actions.remembered_ids('actions.party_records()'),
        actions.remembered_ids('actions.candidate_actions()'),
        actions.remembered_keys('actions.substituted_member_keys()'),
        actions.remembered_ids('actions.member_workspaces()'),
        actions.remembered_id('actions.current_actor()'));
COMMENT ON FUNCTION actions.sees_action(bigint, bigint, bigint, bigint[], bigint, bigint, bigint) IS
    'actions.may_see_action() for the acting person (this session''s service_sees_all(), visible_workspaces(), visible_groups(), party_records(), candidate_actions(), substituted_member_keys(), member_workspaces(), current_actor()): the test of the policies on actions.action and actions.service_level';

CREATE FUNCTION actions.sees_absence(workspace_id bigint, person_id bigint, substitute_id bigint)
    RETURNS boolean LANGUAGE sql STABLE
    RETURN actions.remembered_flag('actions.service_sees_all()')
        OR workspace_id OPERATOR(pg_catalog.=) ANY (actions.remembered_ids('actions.visible_workspaces()'))
        OR (workspace_id OPERATOR(pg_catalog.=) ANY (actions.remembered_ids('actions.member_workspaces()'))
            AND (person_id OPERATOR(pg_catalog.=) actions.remembered_id('actions.current_actor()')
                 OR substitute_id OPERATOR(pg_catalog.=) actions.remembered_id('actions.current_actor()')));
COMMENT ON FUNCTION actions.sees_absence(bigint, bigint, bigint) IS
    'Whether the acting person reads an absence: view_actions in its workspace, or, as an active member, their own or one they substitute in (the policy absence_visible)';

-- These read a table under the caller's own row-level security, as the sub-selects did (not
-- SECURITY DEFINER: the caller sees exactly what it saw).
-- actions.sees_action_of() asks it without SQL (src/pg/api/action_policy.cpp): on Citus it runs in
-- the query on a shard of the table whose policy calls it, where no distributed query may run; it
-- reads the action from its workspace's local shard and tests it as action_visible does.
CREATE FUNCTION actions.sees_action_of(workspace_id bigint, action_id bigint) RETURNS boolean
    LANGUAGE c STABLE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_sees_action_of';
COMMENT ON FUNCTION actions.sees_action_of(bigint, bigint) IS
    'Whether the caller reads this action in actions.action (under its row-level security): what the log, evidence, notes, offers, escalations and procedure places of an action follow';

-- PL/pgSQL, so Citus plans their statements with the values (an SQL function's it cannot plan).
CREATE FUNCTION actions.sees_calendar_in_use(calendar_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM actions.workspace_calendar wc
                    WHERE wc.calendar_id OPERATOR(pg_catalog.=) sees_calendar_in_use.calendar_id);
END
$$;
COMMENT ON FUNCTION actions.sees_calendar_in_use(bigint) IS
    'Whether the caller reads a workspace''s use of this calendar in actions.workspace_calendar (under its row-level security): members read the calendar their workspace uses';

CREATE FUNCTION actions.sees_calendar(calendar_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM actions.calendar c WHERE c.calendar_id OPERATOR(pg_catalog.=) sees_calendar.calendar_id);
END
$$;
COMMENT ON FUNCTION actions.sees_calendar(bigint) IS
    'Whether the caller reads this calendar in actions.calendar (under its row-level security): its working hours and holidays follow';

GRANT EXECUTE ON FUNCTION actions.substituted_member_keys(), actions.sees_workspace(bigint),
    actions.remembered_ids(regprocedure), actions.remembered_flag(regprocedure), actions.remembered_id(regprocedure),
    actions.remembered_keys(regprocedure),
    actions.sees_action(bigint, bigint, bigint, bigint[], bigint, bigint, bigint),
    actions.sees_absence(bigint, bigint, bigint), actions.sees_action_of(bigint, bigint),
    actions.sees_calendar_in_use(bigint), actions.sees_calendar(bigint) TO PUBLIC;

ALTER POLICY action_visible ON actions.action USING (
    actions.sees_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by));
ALTER POLICY action_service_insert ON actions.action WITH CHECK (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY action_service_update ON actions.action
    USING (actions.remembered_flag('actions.is_trusted_service()')
           AND actions.sees_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by))
    WITH CHECK (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY action_service_delete ON actions.action
    USING (actions.remembered_flag('actions.is_trusted_service()')
           AND actions.sees_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by));
ALTER POLICY service_level_visible ON actions.service_level USING (
    actions.sees_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, NULL));
ALTER POLICY absence_visible ON actions.absence USING (actions.sees_absence(workspace_id, person_id, substitute_id));
ALTER POLICY action_offer_visible ON actions.action_offer USING (
    actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id));
ALTER POLICY activity_visible ON actions.activity USING (
    actions.remembered_flag('actions.service_sees_all()') OR workspace_id OPERATOR(pg_catalog.=) ANY (actions.remembered_ids('actions.visible_workspaces()'))
    OR actions.sees_action_of(workspace_id, action_id));
ALTER POLICY activity_service_update ON actions.activity USING (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY activity_service_delete ON actions.activity USING (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY escalation_fired_visible ON actions.escalation_fired USING (
    actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id));
ALTER POLICY evidence_visible ON actions.evidence USING (
    actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id));
ALTER POLICY note_visible ON actions.note USING (
    actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id));
ALTER POLICY note_service_insert ON actions.note WITH CHECK (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY note_service_update ON actions.note
    USING (actions.remembered_flag('actions.is_trusted_service()') AND (actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id)))
    WITH CHECK (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY note_service_delete ON actions.note
    USING (actions.remembered_flag('actions.is_trusted_service()') AND (actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id)));
ALTER POLICY notification_own ON actions.notification USING (
    actions.remembered_flag('actions.service_sees_all()') OR person_id OPERATOR(pg_catalog.=) actions.remembered_id('actions.current_actor()'));
ALTER POLICY procedure_action_visible ON actions.procedure_action USING (actions.sees_action_of(workspace_id, action_id));
ALTER POLICY calendar_visible ON actions.calendar USING (
    actions.sees_workspace(workspace_id) OR actions.sees_calendar_in_use(calendar_id));
ALTER POLICY calendar_holiday_visible ON actions.calendar_holiday USING (actions.sees_calendar(calendar_id));
ALTER POLICY calendar_hours_visible ON actions.calendar_hours USING (actions.sees_calendar(calendar_id));
ALTER POLICY action_type_visible ON actions.action_type USING (actions.sees_workspace(workspace_id));
ALTER POLICY escalation_rule_visible ON actions.escalation_rule USING (actions.sees_workspace(workspace_id));
ALTER POLICY group_visible ON actions.group USING (actions.sees_workspace(workspace_id));
ALTER POLICY group_member_visible ON actions.group_member USING (actions.sees_workspace(workspace_id));
ALTER POLICY member_visible ON actions.member USING (actions.sees_workspace(workspace_id));
ALTER POLICY procedure_visible ON actions.procedure USING (actions.sees_workspace(workspace_id));
ALTER POLICY procedure_run_visible ON actions.procedure_run USING (actions.sees_workspace(workspace_id));
ALTER POLICY procedure_setting_visible ON actions.procedure_setting USING (actions.sees_workspace(workspace_id));
ALTER POLICY procedure_step_visible ON actions.procedure_step USING (actions.sees_workspace(workspace_id));
ALTER POLICY record_kind_visible ON actions.record_kind USING (actions.sees_workspace(workspace_id));
ALTER POLICY role_visible ON actions.role USING (actions.sees_workspace(workspace_id));
ALTER POLICY schedule_visible ON actions.schedule USING (actions.sees_workspace(workspace_id));
ALTER POLICY schedule_occurrence_visible ON actions.schedule_occurrence USING (actions.sees_workspace(workspace_id));
ALTER POLICY template_visible ON actions.template USING (actions.sees_workspace(workspace_id));
ALTER POLICY template_version_visible ON actions.template_version USING (actions.sees_workspace(workspace_id));
ALTER POLICY workspace_visible ON actions.workspace USING (actions.sees_workspace(workspace_id));
ALTER POLICY workspace_calendar_visible ON actions.workspace_calendar USING (actions.sees_workspace(workspace_id));
ALTER POLICY record_visible ON actions.record USING (
    actions.may_see_record(workspace_id, record_id, group_ids, actions.remembered_flag('actions.service_sees_all()'),
        actions.remembered_ids('actions.visible_workspaces()'), actions.remembered_ids('actions.visible_groups()'), actions.remembered_ids('actions.party_records()')));

-- The trigger that keeps one list secret deletes from the table it fires on: on Citus that is each
-- placement of the reference table (a DELETE by name from a placement's trigger would be a
-- distributed command inside the copy); on a single node it is actions.list_secret, as before.
CREATE OR REPLACE FUNCTION actions.list_secret_replace() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    EXECUTE format('DELETE FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    RETURN NEW;
END
$$;
