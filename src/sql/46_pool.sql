-- pg_actions install script, part 46: the functions of pools with claim and of delegation with
-- return (the tables are in part 14). Each is SECURITY DEFINER and decides in the core what the
-- acting person may do (src/core/permission.hpp, src/core/pool.hpp); the triggers log every change.

CREATE FUNCTION actions.offer(action_id bigint, people bigint[] DEFAULT '{}', groups bigint[] DEFAULT '{}',
                              roles text[] DEFAULT '{}') RETURNS integer
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_offer';
COMMENT ON FUNCTION actions.offer(bigint, bigint[], bigint[], text[]) IS
    'Offer an open action to a pool of candidates: people (members), groups (their members and those of the groups below them) and roles (by name: their holders); replaces the previous pool, empty arrays withdraw it. Needs assign_actions, reassign_actions or administer_actions. Candidates see the action and one may claim it; new candidates are notified (offered). Returns how many people are candidates now';

CREATE FUNCTION actions.claim(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_claim';
COMMENT ON FUNCTION actions.claim(bigint) IS
    'A candidate takes an offered, unassigned, open action: they become its assignee (logged as claimed). Of two claims at once exactly one wins; the other is refused (55000)';

CREATE FUNCTION actions.release(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_release';
COMMENT ON FUNCTION actions.release(bigint) IS
    'Give a claimed (or assigned) offered action back to its pool: it becomes unassigned and any candidate may claim it. By its assignee, or with reassign_actions or administer_actions';

CREATE FUNCTION actions.delegate(action_id bigint, delegate_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delegate';
COMMENT ON FUNCTION actions.delegate(bigint, bigint) IS
    'The assignee hands an open action to another active member (delegation pending): the delegate works on it and resolves it, and it returns to the assignee. The delegate cannot complete it; the log shows both people; the delegate is notified (delegated)';

CREATE FUNCTION actions.resolve(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_resolve';
COMMENT ON FUNCTION actions.resolve(bigint) IS
    'The delegate gives a delegated action back to the assignee who delegated it (delegation resolved), who then completes it or delegates it again; that assignee is notified (resolved)';

CREATE FUNCTION actions.set_template_pool(template_id bigint, people bigint[] DEFAULT '{}', groups bigint[] DEFAULT '{}',
                                          roles text[] DEFAULT '{}') RETURNS integer
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_template_pool';
COMMENT ON FUNCTION actions.set_template_pool(bigint, bigint[], bigint[], text[]) IS
    'A new version of the template whose assignee rule is pool: an action made from it (without an assignee_id) is offered to these people, groups (and the groups below them) and roles (by name). Empty arrays: back to the rule none. Needs manage_workspace; returns the new version';

CREATE FUNCTION actions.offer_log() RETURNS trigger
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_offer_log';
COMMENT ON FUNCTION actions.offer_log() IS
    'Trigger: every candidate added to or removed from an action''s pool becomes an entry of the action''s log chain (offered, offer_withdrawn)';

CREATE TRIGGER offer_log AFTER INSERT OR DELETE ON actions.action_offer
    FOR EACH ROW EXECUTE FUNCTION actions.offer_log();

ALTER TABLE actions.action_offer ENABLE ROW LEVEL SECURITY;
CREATE POLICY action_offer_visible ON actions.action_offer FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY action_offer_visible ON actions.action_offer IS 'The pools of the actions the person sees';
GRANT SELECT ON actions.action_offer TO PUBLIC;

-- Public like the single functions: each decides for the acting person. The trigger is the trigger's.
REVOKE ALL ON FUNCTION actions.offer(bigint, bigint[], bigint[], text[]), actions.claim(bigint), actions.release(bigint),
    actions.delegate(bigint, bigint), actions.resolve(bigint), actions.set_template_pool(bigint, bigint[], bigint[], text[]),
    actions.offer_log() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.offer(bigint, bigint[], bigint[], text[]), actions.claim(bigint), actions.release(bigint),
    actions.delegate(bigint, bigint), actions.resolve(bigint), actions.set_template_pool(bigint, bigint[], bigint[], text[])
    TO PUBLIC;
