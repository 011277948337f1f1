-- pg_actions install script, part 51: procedures. A procedure (per workspace) is an ordered list of
-- steps; attaching it to a record (actions.start_procedure()) creates every step's action at once,
-- with scheduled start and due dates in working time of the workspace's business calendar. The
-- rules (order of steps, rescheduling, who completes an earlier step) are the core's
-- (core/procedure.hpp); the glue is src/pg/api/procedures.cpp and procedure_steps.cpp.

CREATE TABLE actions.procedure (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    procedure_id bigint GENERATED ALWAYS AS IDENTITY,
    name         text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    description  text CHECK (length(description) <= 20000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   bigint,
    PRIMARY KEY (workspace_id, procedure_id),
    FOREIGN KEY (workspace_id, created_by) REFERENCES actions.member
);
-- API calls address a procedure by its id alone.
CREATE INDEX procedure_id_idx ON actions.procedure (procedure_id);
CREATE UNIQUE INDEX procedure_name_key ON actions.procedure (workspace_id, name);
COMMENT ON TABLE actions.procedure IS 'Procedure definitions of a workspace (actions.create_procedure()): an ordered list of steps (actions.procedure_step) attached to records with actions.start_procedure()';
COMMENT ON COLUMN actions.procedure.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.procedure.procedure_id IS 'Identifier of the procedure (unique across workspaces)';
COMMENT ON COLUMN actions.procedure.name IS 'Name people pick the procedure by; unique in the workspace';
COMMENT ON COLUMN actions.procedure.description IS 'What the procedure is for';
COMMENT ON COLUMN actions.procedure.created_at IS 'When it was created';
COMMENT ON COLUMN actions.procedure.created_by IS 'Person who created it';

CREATE TABLE actions.procedure_step (
    workspace_id      bigint NOT NULL,
    procedure_id      bigint NOT NULL,
    position          integer NOT NULL CHECK (position BETWEEN 1 AND 100),
    title             text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    description       text CHECK (length(description) <= 20000),
    type              text NOT NULL DEFAULT 'task',
    assignee_rule     text NOT NULL DEFAULT 'none' CHECK (assignee_rule IN ('none', 'person', 'creator', 'record_party', 'pool')),
    assignee_id       bigint,
    assignee_capacity text CHECK (assignee_capacity IN ('owner', 'responsible')),
    pool_people       bigint[] NOT NULL DEFAULT '{}',
    pool_groups       bigint[] NOT NULL DEFAULT '{}',
    pool_roles        text[] NOT NULL DEFAULT '{}',
    duration          interval NOT NULL,
    gap               interval NOT NULL DEFAULT '0',
    PRIMARY KEY (workspace_id, procedure_id, position),
    FOREIGN KEY (workspace_id, procedure_id) REFERENCES actions.procedure ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, type) REFERENCES actions.action_type,
    FOREIGN KEY (workspace_id, assignee_id) REFERENCES actions.member
);
COMMENT ON TABLE actions.procedure_step IS 'The steps of a procedure, in order (actions.add_procedure_step()): what each step''s action gets';
COMMENT ON COLUMN actions.procedure_step.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.procedure_step.procedure_id IS 'The procedure';
COMMENT ON COLUMN actions.procedure_step.position IS 'Order of the step, from 1';
COMMENT ON COLUMN actions.procedure_step.title IS 'Title of the step''s action';
COMMENT ON COLUMN actions.procedure_step.description IS 'Description of the step''s action';
COMMENT ON COLUMN actions.procedure_step.type IS 'Action type of the step''s action (actions.action_type)';
COMMENT ON COLUMN actions.procedure_step.assignee_rule IS 'Who the step''s action goes to, as a template''s rule: none, person (assignee_id), creator (who attaches the procedure), record_party (the person holding assignee_capacity on the record) or pool (offered to pool_people, pool_groups and pool_roles)';
COMMENT ON COLUMN actions.procedure_step.assignee_id IS 'The person of the rule person';
COMMENT ON COLUMN actions.procedure_step.assignee_capacity IS 'The capacity of the rule record_party: owner or responsible';
COMMENT ON COLUMN actions.procedure_step.pool_people IS 'People of the rule pool';
COMMENT ON COLUMN actions.procedure_step.pool_groups IS 'Groups of the rule pool (their members and those of the groups below)';
COMMENT ON COLUMN actions.procedure_step.pool_roles IS 'Roles of the rule pool';
COMMENT ON COLUMN actions.procedure_step.duration IS 'Working time from the step''s scheduled start to its due date (days are working days, hours working hours of the calendar)';
COMMENT ON COLUMN actions.procedure_step.gap IS 'Working time between the previous step''s due date (or the attachment, for step 1) and this step''s start';

CREATE TABLE actions.procedure_setting (
    workspace_id        bigint PRIMARY KEY REFERENCES actions.workspace ON DELETE CASCADE,
    relaxed_dates       boolean NOT NULL DEFAULT false,
    reschedule_if_early boolean NOT NULL DEFAULT false,
    reschedule_if_late  boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE actions.procedure_setting IS 'A workspace''s procedure options (actions.set_procedure_options()); no row: all off';
COMMENT ON COLUMN actions.procedure_setting.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.procedure_setting.relaxed_dates IS 'Relaxed date checking: a step may start or be completed before the previous step is complete';
COMMENT ON COLUMN actions.procedure_setting.reschedule_if_early IS 'A step completed early moves the later open steps earlier by the working time it was early';
COMMENT ON COLUMN actions.procedure_setting.reschedule_if_late IS 'A step completed late moves the later open steps later by the working time it was late';

CREATE TABLE actions.procedure_run (
    workspace_id  bigint NOT NULL,
    run_id        bigint GENERATED ALWAYS AS IDENTITY,
    procedure_id  bigint NOT NULL,
    record_id     bigint NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    started_by    bigint,
    cancelled_at  timestamptz,
    cancelled_by  bigint,
    cancel_reason text CHECK (length(cancel_reason) <= 2000),
    PRIMARY KEY (workspace_id, run_id),
    FOREIGN KEY (workspace_id, procedure_id) REFERENCES actions.procedure ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, record_id) REFERENCES actions.record ON DELETE CASCADE,
    CHECK ((cancelled_at IS NULL) = (cancel_reason IS NULL))
);
CREATE INDEX procedure_run_id_idx ON actions.procedure_run (run_id);
CREATE INDEX procedure_run_record_idx ON actions.procedure_run (workspace_id, record_id);
COMMENT ON TABLE actions.procedure_run IS 'A procedure attached to a record (actions.start_procedure()): its steps'' actions are in actions.procedure_action';
COMMENT ON COLUMN actions.procedure_run.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.procedure_run.run_id IS 'Identifier of this attachment';
COMMENT ON COLUMN actions.procedure_run.procedure_id IS 'The procedure attached';
COMMENT ON COLUMN actions.procedure_run.record_id IS 'The record it is attached to';
COMMENT ON COLUMN actions.procedure_run.started_at IS 'When it was attached';
COMMENT ON COLUMN actions.procedure_run.started_by IS 'Person who attached it';
COMMENT ON COLUMN actions.procedure_run.cancelled_at IS 'When it was cancelled as a whole (actions.cancel_procedure()); NULL while it runs';
COMMENT ON COLUMN actions.procedure_run.cancelled_by IS 'Person who cancelled it';
COMMENT ON COLUMN actions.procedure_run.cancel_reason IS 'Why it was cancelled';

CREATE TABLE actions.procedure_action (
    workspace_id     bigint NOT NULL,
    action_id        bigint NOT NULL,
    run_id           bigint NOT NULL,
    position         integer NOT NULL CHECK (position BETWEEN 1 AND 100),
    scheduled_start  timestamptz NOT NULL,
    applied_shift_us bigint,
    PRIMARY KEY (workspace_id, action_id),
    UNIQUE (workspace_id, run_id, position),
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, run_id) REFERENCES actions.procedure_run ON DELETE CASCADE
);
COMMENT ON TABLE actions.procedure_action IS 'The action of each step of an attached procedure, with its scheduled start (the due date is the action''s due_at); kept beside actions.action so an action row is the same whether or not it is a step';
COMMENT ON COLUMN actions.procedure_action.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.procedure_action.action_id IS 'The step''s action';
COMMENT ON COLUMN actions.procedure_action.run_id IS 'The attached procedure (actions.procedure_run)';
COMMENT ON COLUMN actions.procedure_action.position IS 'The step''s position in the procedure';
COMMENT ON COLUMN actions.procedure_action.scheduled_start IS 'When the step is scheduled to start; moved with its due date when an earlier step is completed early or late (actions.complete_step()), or by a member with administer_actions (actions.set_step_start())';
COMMENT ON COLUMN actions.procedure_action.applied_shift_us IS 'The working time (microseconds) its completion moved the later steps by; un-completing it moves them back. NULL: its completion moved nothing';

ALTER TABLE actions.procedure ENABLE ROW LEVEL SECURITY;
CREATE POLICY procedure_visible ON actions.procedure FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY procedure_visible ON actions.procedure IS 'Members see the procedures of their workspaces';
ALTER TABLE actions.procedure_step ENABLE ROW LEVEL SECURITY;
CREATE POLICY procedure_step_visible ON actions.procedure_step FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY procedure_step_visible ON actions.procedure_step IS 'Members see the steps of their workspaces'' procedures';
ALTER TABLE actions.procedure_setting ENABLE ROW LEVEL SECURITY;
CREATE POLICY procedure_setting_visible ON actions.procedure_setting FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY procedure_setting_visible ON actions.procedure_setting IS 'Members see their workspaces'' procedure options';
ALTER TABLE actions.procedure_run ENABLE ROW LEVEL SECURITY;
CREATE POLICY procedure_run_visible ON actions.procedure_run FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY procedure_run_visible ON actions.procedure_run IS 'Members see the procedures attached in their workspaces (ids only: the record and the actions keep their own visibility)';
ALTER TABLE actions.procedure_action ENABLE ROW LEVEL SECURITY;
CREATE POLICY procedure_action_visible ON actions.procedure_action FOR SELECT USING (
    EXISTS (SELECT 1 FROM actions.action a WHERE a.workspace_id = procedure_action.workspace_id
            AND a.action_id = procedure_action.action_id));
COMMENT ON POLICY procedure_action_visible ON actions.procedure_action IS 'A step''s row is seen by whoever sees its action (the policy of actions.action applies inside)';
GRANT SELECT ON actions.procedure, actions.procedure_step, actions.procedure_setting, actions.procedure_run,
    actions.procedure_action TO PUBLIC;

CREATE FUNCTION actions.create_procedure(workspace_id bigint, name text, description text DEFAULT NULL) RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_procedure';
COMMENT ON FUNCTION actions.create_procedure(bigint, text, text) IS
    'Create a procedure (needs manage_workspace): a name unique in the workspace and a description; add its steps with actions.add_procedure_step(). Returns its id';

CREATE FUNCTION actions.add_procedure_step(procedure_id bigint, title text, duration interval, gap interval DEFAULT NULL,
                                           type text DEFAULT 'task', description text DEFAULT NULL,
                                           assignee_rule text DEFAULT 'none', assignee_id bigint DEFAULT NULL,
                                           assignee_capacity text DEFAULT NULL, pool_people bigint[] DEFAULT NULL,
                                           pool_groups bigint[] DEFAULT NULL, pool_roles text[] DEFAULT NULL)
    RETURNS integer
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_procedure_step';
COMMENT ON FUNCTION actions.add_procedure_step(bigint, text, interval, interval, text, text, text, bigint, text, bigint[], bigint[], text[]) IS
    'Append a step to a procedure (needs manage_workspace): title, duration and gap before it in working time (''2 days'', ''4 hours''), type, description, and the assignee rule of templates (none, person, creator, record_party with owner or responsible, pool with people, groups and roles). Returns its position';

CREATE FUNCTION actions.set_procedure_options(workspace_id bigint, relaxed_dates boolean DEFAULT NULL,
                                              reschedule_if_early boolean DEFAULT NULL,
                                              reschedule_if_late boolean DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_procedure_options';
COMMENT ON FUNCTION actions.set_procedure_options(bigint, boolean, boolean, boolean) IS
    'Set the workspace''s procedure options (needs manage_workspace; NULL keeps one as it is): relaxed date checking, and whether a step completed early or late reschedules the later steps';

CREATE FUNCTION actions.start_procedure(procedure_id bigint, record_id bigint, start_at timestamptz DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_start_procedure';
COMMENT ON FUNCTION actions.start_procedure(bigint, bigint, timestamptz) IS
    'Attach a procedure to a record: creates every step''s action at once (as actions.create_action() would, linked to the record), with its scheduled start and due date in working time of the workspace''s calendar from start_at (default now; 55000 without a calendar). Returns the run id';

CREATE FUNCTION actions.complete_step(action_id bigint, reschedule boolean DEFAULT NULL, evidence bytea DEFAULT NULL,
                                      evidence_name text DEFAULT NULL, evidence_type text DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_complete_step';
COMMENT ON FUNCTION actions.complete_step(bigint, boolean, bytea, text, text) IS
    'Complete an action as actions.complete() does; for a procedure step, reschedule => true asks to move the later steps by the working time it is early or late when the workspace''s switch is off (administer_actions only; with the switch on they always move)';

CREATE FUNCTION actions.set_step_start(action_id bigint, scheduled_start timestamptz) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_step_start';
COMMENT ON FUNCTION actions.set_step_start(bigint, timestamptz) IS
    'Change the scheduled start of a procedure step (needs administer_actions; not after its due date); logged as start_changed on the action';

CREATE FUNCTION actions.cancel_procedure(run_id bigint, reason text) RETURNS integer
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_cancel_procedure';
COMMENT ON FUNCTION actions.cancel_procedure(bigint, text) IS
    'Cancel an attached procedure as a whole, with a reason (its starter or administer_actions): every open step is cancelled with the reason. Returns how many steps were cancelled';

REVOKE ALL ON FUNCTION actions.create_procedure(bigint, text, text),
    actions.add_procedure_step(bigint, text, interval, interval, text, text, text, bigint, text, bigint[], bigint[], text[]),
    actions.set_procedure_options(bigint, boolean, boolean, boolean), actions.start_procedure(bigint, bigint, timestamptz),
    actions.complete_step(bigint, boolean, bytea, text, text), actions.set_step_start(bigint, timestamptz),
    actions.cancel_procedure(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.create_procedure(bigint, text, text),
    actions.add_procedure_step(bigint, text, interval, interval, text, text, text, bigint, text, bigint[], bigint[], text[]),
    actions.set_procedure_options(bigint, boolean, boolean, boolean), actions.start_procedure(bigint, bigint, timestamptz),
    actions.complete_step(bigint, boolean, bytea, text, text), actions.set_step_start(bigint, timestamptz),
    actions.cancel_procedure(bigint, text) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.procedure', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_step', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_setting', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_run', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_action', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_procedure_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_run_run_id_seq', '');
