-- pg_actions install script, part 14: pools with claim, and delegation with return. An action may
-- be offered to candidates (actions.action_offer: people, groups with every group below them, and
-- holders of roles); one of them claims it and becomes its assignee (claimed), and may release it
-- back to the pool. The assignee may delegate an action to another active member: the delegate
-- works on it and resolves it, and it returns to the assignee who delegated it (delegated_by),
-- who completes it or delegates it again (the pending / resolved delegation of Flowable and Camunda).
-- The functions are in part 46; the rules in src/core/pool.hpp.

ALTER TABLE actions.action
    ADD COLUMN offered      boolean NOT NULL DEFAULT false,
    ADD COLUMN claimed      boolean NOT NULL DEFAULT false,
    ADD COLUMN delegated_by bigint,
    ADD COLUMN delegation   text CHECK (delegation IN ('pending', 'resolved')),
    ADD CONSTRAINT action_claimed_check CHECK (NOT claimed OR assignee_id IS NOT NULL),
    ADD CONSTRAINT action_delegation_state_check CHECK ((delegation IS NULL) = (delegated_by IS NULL)),
    ADD FOREIGN KEY (workspace_id, delegated_by) REFERENCES actions.member;
COMMENT ON COLUMN actions.action.offered IS 'Whether the action is offered to a pool (it has actions.action_offer rows); kept by actions.offer()';
COMMENT ON COLUMN actions.action.claimed IS 'Whether the assignee claimed the action from its pool (actions.claim()); any other change of assignee clears it';
COMMENT ON COLUMN actions.action.delegated_by IS 'The assignee who delegated the action (actions.delegate()) and to whom it returns when the delegate resolves it';
COMMENT ON COLUMN actions.action.delegation IS 'pending (the delegate works on it, and cannot complete it) or resolved (it returned to delegated_by); NULL: never delegated, or reassigned since';

CREATE TABLE actions.action_offer (
    workspace_id bigint NOT NULL,
    action_id    bigint NOT NULL,
    offer_id     bigint GENERATED ALWAYS AS IDENTITY,
    person_id    bigint,
    group_id     bigint,
    role_id      bigint,
    offered_by   bigint,
    offered_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, action_id, offer_id),
    UNIQUE NULLS NOT DISTINCT (workspace_id, action_id, person_id, group_id, role_id),
    CONSTRAINT action_offer_one_candidate_check CHECK (num_nonnulls(person_id, group_id, role_id) = 1),
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, group_id) REFERENCES actions.group,
    FOREIGN KEY (workspace_id, role_id) REFERENCES actions.role
);
-- Row-level security finds the actions offered to a person through these (actions.candidate_actions()).
CREATE INDEX action_offer_person_idx ON actions.action_offer (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX action_offer_group_idx ON actions.action_offer (workspace_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX action_offer_role_idx ON actions.action_offer (workspace_id, role_id) WHERE role_id IS NOT NULL;
COMMENT ON TABLE actions.action_offer IS 'The candidates an action is offered to (actions.offer()): each row a person, a group (its members and those of the groups below it) or a role (its holders); active members among them see the action and may claim it. Every row added or removed is logged in the action''s chain';
COMMENT ON COLUMN actions.action_offer.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_offer.action_id IS 'The offered action';
COMMENT ON COLUMN actions.action_offer.offer_id IS 'Identifier of the entry';
COMMENT ON COLUMN actions.action_offer.person_id IS 'A candidate person, or NULL';
COMMENT ON COLUMN actions.action_offer.group_id IS 'A candidate group (with the groups below it), or NULL';
COMMENT ON COLUMN actions.action_offer.role_id IS 'A candidate role (its holders), or NULL';
COMMENT ON COLUMN actions.action_offer.offered_by IS 'Person who made the offer';
COMMENT ON COLUMN actions.action_offer.offered_at IS 'When the entry was added';

-- A template may name a pool (its assignee rule pool): an action made from it is offered to these
-- candidates (actions.set_template_pool(); core/template_rules.hpp).
ALTER TABLE actions.template_version
    ADD COLUMN pool_people bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN pool_groups bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN pool_roles  text[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT template_version_pool_check
        CHECK ((assignee_rule = 'pool') = (cardinality(pool_people) + cardinality(pool_groups) + cardinality(pool_roles) > 0));
COMMENT ON COLUMN actions.template_version.pool_people IS 'Assignee rule pool: people an action made from this version is offered to';
COMMENT ON COLUMN actions.template_version.pool_groups IS 'Assignee rule pool: groups (with the groups below them) it is offered to';
COMMENT ON COLUMN actions.template_version.pool_roles IS 'Assignee rule pool: names of roles whose holders it is offered to (looked up when the action is made)';
