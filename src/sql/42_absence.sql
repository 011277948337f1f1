-- pg_actions install script, part 42: out-of-office. A member declares an absence (from, to,
-- substitute); while it lasts, new assignments to them go to the substitute (or, as the
-- workspace's absence_routing chooses, stay and notify the substitute), and the substitute may act
-- on the actions assigned to them, each act logged with acting_for. Whether the substitute may act
-- is decided when they act (src/pg/authz/facts.cpp, core/absence.hpp), never by a background job.
-- Row-level security (45_visibility.sql): a member reads their own absences, those they
-- substitute in, and, with view_actions for the workspace, all of the workspace's.

CREATE TABLE actions.absence (
    workspace_id  bigint NOT NULL,
    absence_id    bigint GENERATED ALWAYS AS IDENTITY,
    person_id     bigint NOT NULL,
    substitute_id bigint NOT NULL,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    note          text CHECK (length(note) <= 2000),
    created_by    bigint,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, absence_id),
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, substitute_id) REFERENCES actions.member ON DELETE CASCADE,
    CONSTRAINT absence_period CHECK (ends_at > starts_at),
    CONSTRAINT absence_other_substitute CHECK (substitute_id <> person_id)
);
CREATE UNIQUE INDEX absence_id_idx ON actions.absence (absence_id);
CREATE INDEX absence_person_idx ON actions.absence (workspace_id, person_id, starts_at);
CREATE INDEX absence_substitute_idx ON actions.absence (substitute_id, ends_at);
COMMENT ON TABLE actions.absence IS
    'Out-of-office: a member is absent from starts_at to ends_at and substitute_id stands in for them. Written by actions.declare_absence() and actions.end_absence(); at most one absence of a member at any time';
COMMENT ON COLUMN actions.absence.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.absence.absence_id IS 'Identifier of the absence';
COMMENT ON COLUMN actions.absence.person_id IS 'The absent member';
COMMENT ON COLUMN actions.absence.substitute_id IS 'The member who stands in: gets (or is told of) new assignments, may act on the absent member''s actions while the absence lasts and is an active member';
COMMENT ON COLUMN actions.absence.starts_at IS 'When the absence begins';
COMMENT ON COLUMN actions.absence.ends_at IS 'When it ends (exclusive); actions.end_absence() moves it to now';
COMMENT ON COLUMN actions.absence.note IS 'Free text, such as the reason or how to reach someone';
COMMENT ON COLUMN actions.absence.created_by IS 'Person who declared it (the absent member, or a manager)';
COMMENT ON COLUMN actions.absence.created_at IS 'When it was declared';

CREATE FUNCTION actions.declare_absence(workspace_id bigint, starts_at timestamptz, ends_at timestamptz,
                                        substitute_id bigint, person_id bigint DEFAULT NULL, note text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_declare_absence';
COMMENT ON FUNCTION actions.declare_absence(bigint, timestamptz, timestamptz, bigint, bigint, text) IS
    'Declare that person_id (default: the acting person; another member needs manage_workspace) is absent from starts_at to ends_at, with substitute_id standing in. Refused (22023) when it ends before it starts or is over, the substitute is the person or not an active member, or it overlaps another absence of the person; returns the absence id';

CREATE FUNCTION actions.end_absence(absence_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_end_absence';
COMMENT ON FUNCTION actions.end_absence(bigint) IS
    'End an absence now (the absent member, or manage_workspace): an absence under way ends now, one not yet begun is removed, one already over is refused (55000). The substitute''s standing stops at once';

CREATE FUNCTION actions.set_absence_routing(workspace_id bigint, routing text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_absence_routing';
COMMENT ON FUNCTION actions.set_absence_routing(bigint, text) IS
    'Where new assignments to an absent member go in the workspace (needs manage_workspace): substitute, or both (the absent member keeps them and the substitute is notified)';

REVOKE ALL ON FUNCTION actions.declare_absence(bigint, timestamptz, timestamptz, bigint, bigint, text),
    actions.end_absence(bigint), actions.set_absence_routing(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.declare_absence(bigint, timestamptz, timestamptz, bigint, bigint, text),
    actions.end_absence(bigint), actions.set_absence_routing(bigint, text) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.absence', '');
SELECT pg_catalog.pg_extension_config_dump('actions.absence_absence_id_seq', '');
