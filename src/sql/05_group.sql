-- pg_actions install script, part 05: groups. Groups of a workspace form a tree (region, entity,
-- department, ...); members belong to groups, and so do actions and records (their group_ids).
-- A role grant scoped to groups ("code:groups") covers the member's groups and every group below.

CREATE TABLE actions.group (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    group_id     bigint GENERATED ALWAYS AS IDENTITY,
    name         text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    parent_id    bigint,
    path         bigint[] NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, group_id),
    UNIQUE (workspace_id, name),
    FOREIGN KEY (workspace_id, parent_id) REFERENCES actions.group,
    CONSTRAINT group_path_check
        CHECK (path[array_upper(path, 1)] = group_id AND cardinality(path) <= 32)
);
CREATE INDEX group_id_idx ON actions.group (group_id);
-- The descendants of a group are the groups whose path contains it.
CREATE INDEX group_path_idx ON actions.group USING gin (path);
COMMENT ON TABLE actions.group IS 'A group of a workspace (region, entity, department, ...); groups form a tree';
COMMENT ON COLUMN actions.group.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.group.group_id IS 'Identifier of the group (unique across workspaces)';
COMMENT ON COLUMN actions.group.name IS 'Name of the group, unique in its workspace';
COMMENT ON COLUMN actions.group.parent_id IS 'Parent group, or NULL for a top-level group';
COMMENT ON COLUMN actions.group.path IS 'Ids from the top-level group down to this one, kept by actions.create_group() and actions.move_group()';
COMMENT ON COLUMN actions.group.created_at IS 'When the group was created';

CREATE TABLE actions.group_member (
    workspace_id bigint NOT NULL,
    person_id    bigint NOT NULL,
    group_id     bigint NOT NULL,
    added_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, person_id, group_id),
    FOREIGN KEY (workspace_id, group_id) REFERENCES actions.group ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE
);
CREATE INDEX group_member_group_idx ON actions.group_member (workspace_id, group_id);
COMMENT ON TABLE actions.group_member IS 'Which members belong to which groups';
COMMENT ON COLUMN actions.group_member.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.group_member.person_id IS 'The member';
COMMENT ON COLUMN actions.group_member.group_id IS 'The group';
COMMENT ON COLUMN actions.group_member.added_at IS 'When the member joined the group';

-- A record shared with a group.
ALTER TABLE actions.record_party ADD FOREIGN KEY (workspace_id, group_id) REFERENCES actions.group;
