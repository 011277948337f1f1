# PostgREST and Supabase on a real node: the statements PostgREST 12 sends per request, replayed
# over connections of the authenticator login role (docs/applications.md, "Identity"). Per request, in one
# transaction:
#   BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY   (READ WRITE for POST, PATCH, DELETE)
#   select set_config('search_path', $1, true), set_config('role', $2, true),
#          set_config('request.jwt.claims', $3, true), set_config('request.method', $4, true),
#          set_config('request.path', $5, true), set_config('request.headers', $6, true),
#          set_config('request.cookies', $7, true)
#   the main query (a read of a table or view, or a call of a function)
#   COMMIT
# The parameters are bound, as PostgREST binds them (PREPARE/EXECUTE here; psql 15 has no \bind).
# The person of a request is the one its e-mail claim names, and only in sessions of the
# registered authenticator: another login role sending the same statements is nobody.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

$ENV{PGUSER} = 'postgres';

my $node = PostgreSQL::Test::Cluster->new('postgrest');
$node->init(extra => [ '-U', 'postgres' ]);
$node->start;

$node->safe_psql('postgres', q{
    CREATE DATABASE app;
    CREATE ROLE authenticator LOGIN NOINHERIT;
    CREATE ROLE web_anon NOLOGIN;
    CREATE ROLE authenticated NOLOGIN;
    GRANT web_anon, authenticated TO authenticator;
    CREATE ROLE mallory LOGIN NOINHERIT;   -- not registered, yet allowed to switch to the same roles
    GRANT web_anon, authenticated TO mallory;
    CREATE ROLE alice LOGIN;
});
$node->safe_psql('app', 'CREATE EXTENSION pg_actions');
my $alice = $node->safe_psql('app', "SELECT actions.create_person('alice\@example.com', 'Alice', 'alice')");
my $bob = $node->safe_psql('app', "SELECT actions.create_person('Bob\@Example.com', 'Bob')");
my $carol = $node->safe_psql('app', "SELECT actions.create_person('carol\@example.com', 'Carol')");
my $ws = $node->safe_psql('app', "SELECT actions.create_workspace('Acme', owner_id => $alice)");
my $other = $node->safe_psql('app', "SELECT actions.create_workspace('Other', owner_id => $carol)");
$node->safe_psql('app', qq{
    SELECT actions.add_member($ws, $bob, 'actions_access');
    SELECT actions.trust_authenticator('authenticator', claim => 'email', note => 'PostgREST');
    GRANT USAGE ON SCHEMA actions TO web_anon, authenticated;
});
my $a_alice = $node->safe_psql('app', "SELECT actions.create_action($ws, 'Alice only')", extra_params => [ '-U', 'alice' ]);
my $a_bob = $node->safe_psql('app', "SELECT actions.create_action($ws, 'For Bob', assignee_id => $bob)",
    extra_params => [ '-U', 'alice' ]);
my $a_carol = $node->safe_psql('app', qq{
    BEGIN; SELECT FROM actions.act_as($carol); SELECT actions.create_action($other, 'Carol''s'); COMMIT;
}, extra_params => [ '-U', 'authenticator' ]);
like($a_carol, qr/^\d+$/, 'the authenticator\'s own session (no role set) acts for a person with act_as, as a trusted service');

# The statement of transaction-scoped settings, exactly as PostgREST 12 builds it.
my $settings = q{PREPARE pgrst_settings(text, text, text, text, text, text, text) AS select set_config('search_path', $1, true), set_config('role', $2, true), set_config('request.jwt.claims', $3, true), set_config('request.method', $4, true), set_config('request.path', $5, true), set_config('request.headers', $6, true), set_config('request.cookies', $7, true);};

# One request: the transaction PostgREST runs for a GET of a table or view (read only) or a POST
# to /rpc (read write), with the claims of a verified JWT.
sub request
{
    my (%r) = @_;
    my $mode = $r{method} eq 'GET' ? 'READ ONLY' : 'READ WRITE';
    my $main = $r{main};
    my $claims = $r{claims};
    $claims =~ s/'/''/g;
    return qq{BEGIN ISOLATION LEVEL READ COMMITTED $mode;
EXECUTE pgrst_settings('"actions", "public"', '$r{role}', '$claims', '$r{method}', '$r{path}', '{"accept":"application/json","user-agent":"tap"}', '{}') \\g /dev/null
$main;
COMMIT;
};
}

# The main query of GET /<relation>?select=<columns>&order=<key> as PostgREST writes it.
sub read_relation
{
    my ($relation, $columns, $order) = @_;
    return qq{WITH pgrst_source AS ( SELECT $columns FROM "actions"."$relation" ORDER BY $order ) }
      . q{SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, }
      . q{coalesce(json_agg(_postgrest_t), '[]') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, }
      . q{nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted }
      . q{FROM ( SELECT * FROM pgrst_source ) _postgrest_t};
}

# The main query of POST /rpc/<function> with a JSON body of scalar arguments.
sub call_function
{
    my ($function, $body, $args) = @_;
    my $cols = join(', ', map { qq{"$_->[0]"} } @$args);
    my $types = join(', ', map { qq{"$_->[0]" $_->[1]} } @$args);
    my $named = join(', ', map { qq{"$_->[0]" := pgrst_body."$_->[0]"} } @$args);
    return qq{WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '$body'::json AS json_data) pgrst_payload, }
      . qq{LATERAL (SELECT $cols FROM json_to_record(pgrst_payload.json_data) AS _($types) LIMIT 1) pgrst_body , }
      . qq{LATERAL (SELECT "actions"."$function"($named) pgrst_scalar) pgrst_call) }
      . q{SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar), '[]') AS body, }
      . q{nullif(current_setting('response.headers', true), '') AS response_headers, }
      . q{nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted }
      . q{FROM (SELECT * FROM pgrst_source) _postgrest_t};
}

sub as
{
    my ($login, $sql) = @_;
    my ($ret, $stdout, $stderr) = $node->psql('app', $settings . "\n" . $sql, extra_params => [ '-U', $login ]);
    return ($ret, $stdout, $stderr);
}

my $read_actions = read_relation('action', '"action_id", "title"', '"action_id"');
my $read_people = read_relation('member_person', '"display_name", "email"', '"display_name"');
my $bob_claims = qq{{"aud":"authenticated","email":"bob\@example.com","role":"authenticated","sub":"1f0c"}};
my $alice_claims = qq{{"aud":"authenticated","email":"alice\@example.com","role":"authenticated"}};

# 1. A signed-in user's GET: exactly what that person sees.
my ($ret, $out, $err) = as('authenticator',
    request(method => 'GET', path => '/action', role => 'authenticated', claims => $bob_claims, main => $read_actions));
is($ret, 0, 'GET /action as Bob runs') or diag($err);
like($out, qr/^\|1\|\[\{"action_id":$a_bob,"title":"For Bob"\}\]\|\|\|$/m,
    'Bob (actions_access, named by his e-mail claim, regardless of case) reads only the action assigned to him');
($ret, $out, $err) = as('authenticator',
    request(method => 'GET', path => '/action', role => 'authenticated', claims => $alice_claims, main => $read_actions));
like($out, qr/"action_id":$a_alice.*"action_id":$a_bob/s, 'Alice (owner) reads every action of her workspace');
unlike($out, qr/"action_id":$a_carol\b/, '... and none of another workspace');
($ret, $out, $err) = as('authenticator',
    request(method => 'GET', path => '/member_person', role => 'authenticated', claims => $bob_claims, main => $read_people));
like($out, qr/\[\{"display_name":"Alice","email":null\}, \n? ?\{"display_name":"Bob","email":null\}\]/,
    'GET /member_person: the people of the workspace by name, without e-mails');

# 2. A POST /rpc call: the API acts as the request's person.
($ret, $out, $err) = as('authenticator',
    request(method => 'POST', path => '/rpc/create_action', role => 'authenticated', claims => $bob_claims,
        main => call_function('create_action', qq{{"workspace_id": $ws, "title": "Filed by Bob over REST"}},
            [ [ 'workspace_id', 'bigint' ], [ 'title', 'text' ] ])));
like($err, qr/ERROR:  permission denied to create action/, 'POST /rpc/create_action as Bob: refused by his role (actions_access)');
($ret, $out, $err) = as('authenticator',
    request(method => 'POST', path => '/rpc/create_action', role => 'authenticated', claims => $alice_claims,
        main => call_function('create_action', qq{{"workspace_id": $ws, "title": "Filed by Alice over REST"}},
            [ [ 'workspace_id', 'bigint' ], [ 'title', 'text' ] ])));
is($ret, 0, 'POST /rpc/create_action as Alice runs') or diag($err);
is($node->safe_psql('app', "SELECT owner_id FROM actions.action WHERE title = 'Filed by Alice over REST'"), $alice,
    '... and the action is Alice\'s');
is($node->safe_psql('app', "SELECT actor_id || ' ' || db_role FROM actions.activity a JOIN actions.action USING (action_id) WHERE title = 'Filed by Alice over REST' AND seq = 1"),
    "$alice authenticator", '... logged with Alice as the actor and the authenticator as the login role');

# 3. A request cannot act_as someone else.
($ret, $out, $err) = as('authenticator',
    request(method => 'POST', path => '/rpc/act_as', role => 'authenticated', claims => $bob_claims,
        main => call_function('act_as', qq{{"person_id": $alice}}, [ [ 'person_id', 'bigint' ] ])));
like($err, qr/permission denied to act for another person/, 'POST /rpc/act_as from a request is refused');

# 4. An anonymous request is nobody.
($ret, $out, $err) = as('authenticator',
    request(method => 'GET', path => '/action', role => 'web_anon', claims => '{"role":"web_anon"}', main => $read_actions));
like($out, qr/^\|0\|\[\]\|\|\|$/m, 'an anonymous GET /action reads nothing');

# 5. Requests on one connection, one after another: each transaction names its own person, and
# nothing is left once the transaction ends.
($ret, $out, $err) = as('authenticator',
    request(method => 'GET', path => '/rpc/current_actor', role => 'authenticated', claims => $bob_claims,
        main => 'SELECT actions.current_actor()')
      . request(method => 'GET', path => '/rpc/current_actor', role => 'authenticated', claims => $alice_claims,
        main => 'SELECT actions.current_actor()')
      . "SELECT coalesce(actions.current_actor()::text, 'nobody'), current_user;\n");
is($out, "$bob\n$alice\nnobody|authenticator", 'one connection: Bob, then Alice, then (settings gone with the transaction) nobody');

# 6. The same statements from a login role that is no registered authenticator impersonate nobody.
($ret, $out, $err) = as('mallory',
    request(method => 'GET', path => '/action', role => 'authenticated', claims => $alice_claims, main => $read_actions));
is($ret, 0, 'mallory replays the same GET') or diag($err);
like($out, qr/^\|0\|\[\]\|\|\|$/m, '... and reads nothing: her session\'s claims name nobody');
($ret, $out, $err) = as('mallory',
    request(method => 'POST', path => '/rpc/create_action', role => 'authenticated', claims => $alice_claims,
        main => call_function('create_action', qq{{"workspace_id": $ws, "title": "Forged"}},
            [ [ 'workspace_id', 'bigint' ], [ 'title', 'text' ] ])));
like($err, qr/no person is acting in this session/, '... and her POST /rpc/create_action is refused');
is($node->safe_psql('app', "SELECT count(*) FROM actions.action WHERE title = 'Forged'"), '0', '... writing nothing');
# ... nor does a person's own login become someone else by setting them.
($ret, $out, $err) = $node->psql('app', "BEGIN;\nSELECT set_config('request.jwt.claims', '$alice_claims', true) \\g /dev/null\nSELECT coalesce(actions.current_actor()::text, 'nobody');\nCOMMIT;",
    extra_params => [ '-U', 'mallory' ]);
is($out, 'nobody', 'claims set without a role in another session name nobody');

# 7. Once the authenticator is no longer registered, its requests are nobody.
$node->safe_psql('app', "SELECT actions.untrust_service('authenticator')");
($ret, $out, $err) = as('authenticator',
    request(method => 'GET', path => '/action', role => 'authenticated', claims => $alice_claims, main => $read_actions));
like($out, qr/^\|0\|\[\]\|\|\|$/m, 'after untrust_service, the same GET reads nothing');

$node->stop;
done_testing();
