-- pg_actions install script, part 48: where new assignments to an absent member go
-- (actions.absence, 42_absence.sql). Added after the list's column (47_list.sql), in the order an
-- update from 0.1 adds them.
ALTER TABLE actions.workspace ADD COLUMN absence_routing text NOT NULL DEFAULT 'substitute'
    CHECK (absence_routing IN ('substitute', 'both'));
COMMENT ON COLUMN actions.workspace.absence_routing IS 'Where a new assignment to an absent member goes (actions.absence): substitute (the substitute becomes the assignee) or both (the absent member stays the assignee and the substitute is notified; the substitute may act on it while the absence lasts)';
