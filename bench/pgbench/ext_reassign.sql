-- reassign through the extension: one call; the extension updates the action and writes the
-- 'reassigned' log entry, advances the chain head, writes the notification (and NOTIFY).
\set id random(:ext_lo, :ext_hi)
\set assignee random(:mlo, :mhi)
SELECT actions.reassign(:id, :assignee);
