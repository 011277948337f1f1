-- pg_actions install script, part 15: invitations of people assigned an action by e-mail.

CREATE TABLE actions.invitation (
    workspace_id bigint NOT NULL,
    person_id    bigint NOT NULL,
    token        text NOT NULL UNIQUE,
    invited_by   bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    PRIMARY KEY (workspace_id, person_id),
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE
);
COMMENT ON TABLE actions.invitation IS 'Invitation of a person assigned an action by e-mail: they join as an invited actions_access member until they accept';
COMMENT ON COLUMN actions.invitation.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.invitation.person_id IS 'Person invited';
COMMENT ON COLUMN actions.invitation.token IS 'Secret the person presents to actions.accept_invitation(), "<workspace_id>.<32 hex digits>" (the workspace routes the acceptance on Citus); read it from here to send it, it is never in a NOTIFY payload';
COMMENT ON COLUMN actions.invitation.invited_by IS 'Person who assigned the action by e-mail';
COMMENT ON COLUMN actions.invitation.created_at IS 'When the invitation was issued';
COMMENT ON COLUMN actions.invitation.expires_at IS 'After this the token is refused; assigning by e-mail again issues a new one';
COMMENT ON COLUMN actions.invitation.accepted_at IS 'When the person accepted and became an active member';

CREATE FUNCTION actions.assign_by_email(action_id bigint, email text, display_name text DEFAULT NULL)
    RETURNS boolean
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_assign_by_email';
COMMENT ON FUNCTION actions.assign_by_email(bigint, text, text) IS
    'Assign (or reassign) the action to the person with this e-mail; someone who is not a member is created if needed, invited as a non-billable actions_access member and sent an invited notification. Returns whether the assignee holds a pending invitation (true for anyone who is not yet an active member, whether or not the e-mail is known elsewhere: the answer tells nothing about other workspaces); a removed member is not brought back (22023)';

CREATE FUNCTION actions.accept_invitation(token text)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_accept_invitation';
COMMENT ON FUNCTION actions.accept_invitation(text) IS
    'Accept an invitation with its token: the invited member becomes active. Returns the person id. A login role for the person is set by an administrator (actions.person.login_role)';
