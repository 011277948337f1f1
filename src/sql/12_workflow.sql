-- pg_actions install script, part 12: system-generated workflows (which are switched on per
-- workspace) and the pool of people an approval action is offered to.

CREATE TABLE actions.workflow_setting (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    workflow     text NOT NULL CHECK (workflow IN ('delegation_request', 'delegation_approval', 'delegation_acceptance',
                                                   'role_acknowledgement', 'document_approval', 'document_review')),
    enabled      boolean NOT NULL,
    due_days     integer CHECK (due_days BETWEEN 1 AND 3650),
    due_unit     text NOT NULL DEFAULT 'calendar_days' CHECK (due_unit IN ('calendar_days', 'working_days')),
    PRIMARY KEY (workspace_id, workflow)
);
COMMENT ON TABLE actions.workflow_setting IS 'System workflows a workspace switched on (a workflow without a row is off) and the days its actions are due in';
COMMENT ON COLUMN actions.workflow_setting.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.workflow_setting.workflow IS 'delegation_request, delegation_approval, delegation_acceptance, role_acknowledgement, document_approval or document_review';
COMMENT ON COLUMN actions.workflow_setting.enabled IS 'Whether the workflow creates its actions';
COMMENT ON COLUMN actions.workflow_setting.due_days IS 'Its actions are due this many days after creation; NULL: the default (acceptance: 7 days, others: no due date)';
COMMENT ON COLUMN actions.workflow_setting.due_unit IS 'Unit of due_days: calendar_days, or working_days of the workspace''s business calendar (Wed 10:00 + 1 working day = Thu 10:00)';

CREATE TABLE actions.action_candidate (
    workspace_id bigint NOT NULL,
    action_id    bigint NOT NULL,
    person_id    bigint NOT NULL,
    PRIMARY KEY (workspace_id, action_id, person_id),
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member
);
CREATE INDEX action_candidate_person_idx ON actions.action_candidate (person_id);
COMMENT ON TABLE actions.action_candidate IS 'The pool an approval action was offered to (the eligible approvers when it was created): any one of them may act, eligibility is checked again then';
COMMENT ON COLUMN actions.action_candidate.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_candidate.action_id IS 'The pooled action';
COMMENT ON COLUMN actions.action_candidate.person_id IS 'A member of the pool';
