-- complete through the extension: one call on the next open action of the pool; the extension
-- updates the action (status, completed_at, completed_by) and writes the 'completed' log entry
-- and advances the chain head.
SELECT actions.complete(nextval('plain.complete_ext'));
