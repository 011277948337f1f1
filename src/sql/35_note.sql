-- pg_actions install script, part 35: notes on actions, with Content Manager's access levels.

CREATE TABLE actions.note (
    workspace_id bigint NOT NULL,
    note_id      bigint GENERATED ALWAYS AS IDENTITY,
    action_id    bigint NOT NULL,
    author_id    bigint,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, note_id),
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE
);
CREATE INDEX note_action_idx ON actions.note (workspace_id, action_id);
-- API calls address a note by its id alone.
CREATE INDEX note_id_idx ON actions.note (note_id);
COMMENT ON TABLE actions.note IS 'Notes on an action; every change is written to the action''s activity log';
COMMENT ON COLUMN actions.note.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.note.note_id IS 'Identifier of the note';
COMMENT ON COLUMN actions.note.action_id IS 'Action the note is on';
COMMENT ON COLUMN actions.note.author_id IS 'Person who wrote it';
COMMENT ON COLUMN actions.note.body IS 'The note';
COMMENT ON COLUMN actions.note.created_at IS 'When it was written';
COMMENT ON COLUMN actions.note.updated_at IS 'When it was last edited';

CREATE FUNCTION actions.add_note(action_id bigint, body text) RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_note';
COMMENT ON FUNCTION actions.add_note(bigint, text) IS
    'Add a note to the action (needs notes access append_only or full, see actions.note_access()); returns its id';

CREATE FUNCTION actions.edit_note(note_id bigint, body text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_edit_note';
COMMENT ON FUNCTION actions.edit_note(bigint, text) IS 'Change the text of a note (needs notes access full)';

CREATE FUNCTION actions.delete_note(note_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_note';
COMMENT ON FUNCTION actions.delete_note(bigint) IS 'Delete a note (needs notes access full); the log keeps its text';

CREATE FUNCTION actions.note_access(action_id bigint) RETURNS text
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_note_access';
COMMENT ON FUNCTION actions.note_access(bigint) IS
    'The acting person''s access to the action''s notes: full (add, edit, delete: may reassign, may modify it and is the assignee), append_only (the same permissions, not the assignee) or read_only';

CREATE FUNCTION actions.note_log() RETURNS trigger
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_note_log';
COMMENT ON FUNCTION actions.note_log() IS 'Trigger: appends note_added, note_edited and note_deleted entries to the action''s log';
CREATE TRIGGER note_log AFTER INSERT OR UPDATE OR DELETE ON actions.note
    FOR EACH ROW EXECUTE FUNCTION actions.note_log();
