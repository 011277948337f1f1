-- create_action through the extension: one call, the extension writes the action, two log
-- entries, the chain head and the notification (and NOTIFY).
\set assignee random(:mlo, :mhi)
SELECT actions.create_action(:ws, 'bench action', assignee_id => :assignee);
