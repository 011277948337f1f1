-- pg_actions install script, part 43: escalation of overdue actions. A workspace's rules say
-- "after N days overdue, notify the owner, or the holders of a role, or reassign to a person, or
-- to a pool (a role or a group: the action is unassigned and offered to it, 46_pool.sql)";
-- the maintenance task actions.escalate_overdue() (run by actions.run_maintenance()) fires each
-- rule once per action and due date, also when two sweeps run at once (the primary key of
-- actions.escalation_fired decides), and logs each firing in the action's activity log.

CREATE TABLE actions.escalation_rule (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    rule_id      bigint GENERATED ALWAYS AS IDENTITY,
    after_days   integer NOT NULL CHECK (after_days BETWEEN 0 AND 3650),
    escalate     text NOT NULL CHECK (escalate IN ('notify_owner', 'notify_role', 'reassign', 'reassign_pool')),
    role_name    text,
    person_id    bigint,
    group_id     bigint,
    created_by   bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, rule_id),
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, group_id) REFERENCES actions."group" ON DELETE CASCADE,
    CONSTRAINT escalation_rule_pool CHECK (CASE escalate
        WHEN 'notify_role' THEN role_name IS NOT NULL AND group_id IS NULL
        WHEN 'reassign_pool' THEN num_nonnulls(role_name, group_id) = 1
        ELSE role_name IS NULL AND group_id IS NULL END),
    CONSTRAINT escalation_rule_person CHECK ((escalate = 'reassign') = (person_id IS NOT NULL))
);
CREATE UNIQUE INDEX escalation_rule_id_idx ON actions.escalation_rule (rule_id);
COMMENT ON TABLE actions.escalation_rule IS
    'Escalation rules of a workspace: after_days after an open action''s due date, notify its owner or the active holders of a role, or reassign it to a person or to a pool (a role or a group). Written by actions.create_escalation_rule() and actions.delete_escalation_rule()';
COMMENT ON COLUMN actions.escalation_rule.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.escalation_rule.rule_id IS 'Identifier of the rule';
COMMENT ON COLUMN actions.escalation_rule.after_days IS 'Days (of 24 hours) after the due date an open action is escalated; 0: as soon as it is overdue';
COMMENT ON COLUMN actions.escalation_rule.escalate IS 'notify_owner, notify_role (role_name), reassign (person_id) or reassign_pool (role_name or group_id)';
COMMENT ON COLUMN actions.escalation_rule.role_name IS 'notify_role: the role whose active holders are notified; reassign_pool: the role whose holders are the pool (looked up when the rule fires)';
COMMENT ON COLUMN actions.escalation_rule.person_id IS 'reassign: the member the action is reassigned to (absence routing applies)';
COMMENT ON COLUMN actions.escalation_rule.group_id IS 'reassign_pool: the group whose members (and those of the groups below it) are the pool; deleting the group deletes the rule';
COMMENT ON COLUMN actions.escalation_rule.created_by IS 'Person who created the rule';
COMMENT ON COLUMN actions.escalation_rule.created_at IS 'When it was created';

CREATE TABLE actions.escalation_fired (
    workspace_id bigint NOT NULL,
    rule_id      bigint NOT NULL,
    action_id    bigint NOT NULL,
    due_at       timestamptz NOT NULL,
    fired_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, rule_id, action_id, due_at),
    FOREIGN KEY (workspace_id, rule_id) REFERENCES actions.escalation_rule ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE
);
CREATE INDEX escalation_fired_action_idx ON actions.escalation_fired (workspace_id, action_id);
COMMENT ON TABLE actions.escalation_fired IS
    'Each rule fires once per action and due date: a row here says it has; moving the due date lets it fire again';
COMMENT ON COLUMN actions.escalation_fired.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.escalation_fired.rule_id IS 'The rule that fired';
COMMENT ON COLUMN actions.escalation_fired.action_id IS 'The overdue action';
COMMENT ON COLUMN actions.escalation_fired.due_at IS 'The due date it was overdue from';
COMMENT ON COLUMN actions.escalation_fired.fired_at IS 'When it fired';

CREATE FUNCTION actions.create_escalation_rule(workspace_id bigint, after_days integer, escalate text,
                                               role_name text DEFAULT NULL, person_id bigint DEFAULT NULL,
                                               group_id bigint DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_escalation_rule';
COMMENT ON FUNCTION actions.create_escalation_rule(bigint, integer, text, text, bigint, bigint) IS
    'Add an escalation rule to the workspace (needs manage_workspace): after_days after an open action''s due date, notify_owner, notify_role (role_name), reassign (person_id, an active member) or reassign_pool (role_name or group_id: the action is unassigned and offered to that pool); returns the rule id';

CREATE FUNCTION actions.delete_escalation_rule(rule_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_escalation_rule';
COMMENT ON FUNCTION actions.delete_escalation_rule(bigint) IS
    'Remove an escalation rule (needs manage_workspace); the log keeps its firings';

CREATE FUNCTION actions.escalate_overdue() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_escalate_overdue';
COMMENT ON FUNCTION actions.escalate_overdue() IS
    'Maintenance: fire the escalation rules due for open actions (after_days past the due date), at most pg_actions.sweep_batch_size per call (oldest action first; the rest wait for the next call), once per rule, action and due date, logging an escalated entry; a firing that fails unexpectedly is recorded in actions.maintenance_error and the others go on. Returns how many fired. Safe to run twice and concurrently';

REVOKE ALL ON FUNCTION actions.create_escalation_rule(bigint, integer, text, text, bigint, bigint),
    actions.delete_escalation_rule(bigint), actions.escalate_overdue() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.create_escalation_rule(bigint, integer, text, text, bigint, bigint),
    actions.delete_escalation_rule(bigint) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.escalation_rule', '');
SELECT pg_catalog.pg_extension_config_dump('actions.escalation_fired', '');
SELECT pg_catalog.pg_extension_config_dump('actions.escalation_rule_rule_id_seq', '');
