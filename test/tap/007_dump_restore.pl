# Backups and restores with the DBA's default commands (docs/operations.md, "Backups and restores"): a database
# filled through the API by people acting with their own login roles and through a trusted service
# is dumped and restored exactly as a DBA would, as the superuser with no special option:
#   pg_dump -Fc -f F app; createdb new; pg_restore -d new F
#   pg_dump -f F.sql app; createdb new2; psql -X -v ON_ERROR_STOP=1 -d new2 -f F.sql
# Every row of every table of schema actions and every sequence comes back as it was (ids, log
# entries with their actors, times and hashes), the log verifies clean, and work goes on with
# fresh ids. What cannot work fails loudly, names the command that works and changes nothing:
# a data-only restore into a database in use, a dump made with --inserts. A COPY that is not a
# superuser's restore (another role's, an import of new rows, COPY TO calling the API) is logged.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $node = PostgreSQL::Test::Cluster->new('dump_restore');
$node->init(extra => [ '-U', 'postgres' ]);
$node->start;
# The client programs below connect to this node by default, as a DBA's would to theirs.
$ENV{PGHOST} = $node->host;
$ENV{PGPORT} = $node->port;
my $dir = $node->basedir;

# Runs a client program exactly as given; returns its exit code, stdout and stderr.
sub run
{
    my @cmd = @_;
    my ($out, $err) = ('', '');
    IPC::Run::run(\@cmd, '>', \$out, '2>', \$err);
    return ($? >> 8, $out, $err);
}

sub as
{
    my ($who, $sql, $db) = @_;
    return $node->safe_psql($db // 'app', $sql, extra_params => [ '-U', $who ]);
}

# Every table of schema actions as a row count and the md5 of all its rows as text, and every
# sequence's last_value and is_called.
sub contents
{
    my ($db) = @_;
    my %c;
    for my $rel (split /\n/, $node->safe_psql($db,
        "SELECT relname || ' ' || relkind::text FROM pg_class WHERE relnamespace = 'actions'::regnamespace AND relkind IN ('r', 'S') ORDER BY relname"))
    {
        my ($name, $kind) = split / /, $rel;
        $c{$name} = $node->safe_psql($db, $kind eq 'S'
            ? qq{SELECT last_value || ' ' || is_called FROM actions."$name"}
            : qq{SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM actions."$name" t});
    }
    return \%c;
}

sub broken_links
{
    my ($db) = @_;
    return $node->safe_psql($db, "SELECT count(*) FROM actions.workspace w, actions.verify_log(w.workspace_id)");
}

# Every table and sequence of the source compared with a restored database, one assertion each.
sub same_as_source
{
    my ($db, $source, $what) = @_;
    my $restored = contents($db);
    is_deeply([ sort keys %$restored ], [ sort keys %$source ], "$what: the same tables and sequences");
    for my $rel (sort keys %$source)
    {
        is($restored->{$rel}, $source->{$rel}, "$what reproduces actions.$rel exactly");
    }
}

# --- a database filled through the API ----------------------------------------------------------
$node->safe_psql('postgres', q{
    CREATE DATABASE app;
    CREATE ROLE alice LOGIN;
    CREATE ROLE bob LOGIN;
    CREATE ROLE carol LOGIN;
    CREATE ROLE dave LOGIN;
    CREATE ROLE web LOGIN;
    CREATE ROLE loader LOGIN BYPASSRLS;
});
$node->safe_psql('app', 'CREATE EXTENSION pg_actions');
my $alice = $node->safe_psql('app', "SELECT actions.create_person('alice\@example.com', 'Alice', 'alice')");
my $bob = $node->safe_psql('app', "SELECT actions.create_person('bob\@example.com', 'Bob', 'bob')");
my $carol = $node->safe_psql('app', "SELECT actions.create_person('carol\@example.com', 'Carol', 'carol')");
my $dave = $node->safe_psql('app', "SELECT actions.create_person('dave\@example.com', 'Dave', 'dave')");
my $ws1 = $node->safe_psql('app', "SELECT actions.create_workspace('Acme', 'Europe/Berlin', owner_id => $alice)");
my $ws2 = $node->safe_psql('app', "SELECT actions.create_workspace('Beta', 'UTC', owner_id => $bob)");
$node->safe_psql('app', qq{
    SELECT actions.add_member($ws1, $bob, 'user');
    SELECT actions.add_member($ws1, $carol, 'actions_access');
    SELECT actions.add_member($ws1, $dave, 'manager');
    SELECT actions.add_member($ws2, $alice, 'user');
    SELECT actions.add_member($ws2, $carol, 'inquiry');
    SELECT actions.trust_service('web', 'the web application');
    CREATE TABLE public.contracts (id integer PRIMARY KEY, name text NOT NULL);
    ALTER TABLE public.contracts OWNER TO alice;
});

# Groups, a custom role, a record with a party, an adopted table.
my $sales = as('alice', "SELECT actions.create_group($ws1, 'Sales')");
my $emea = as('alice', "SELECT actions.create_group($ws1, 'EMEA', $sales)");
as('alice', qq{
    SELECT actions.add_group_member($emea, $bob);
    SELECT actions.create_role($ws1, 'auditor', '{view_actions}');
    SELECT actions.set_member_role($ws1, $dave, 'auditor');
    SELECT actions.set_notification($ws1, 'overdue', false);
    SELECT actions.create_calendar($ws1, 'Berlin office', working_hours => '09:00-12:30, 13:30-17:30');
    SELECT actions.add_holiday(c.calendar_id, 'Christmas', '2031-12-24', '2031-12-26') FROM actions.calendar c;
    SELECT actions.use_calendar($ws1, c.calendar_id, 'next') FROM actions.calendar c;
});
my $rec = as('alice', "SELECT actions.create_record($ws1, 'Board decision 7', 'decision', ARRAY[$sales])");
as('alice', qq{
    SELECT actions.add_party($rec, 'responsible', $bob);
    SELECT actions.track_table('public.contracts', $ws1, 'document', 'id', 'name');
    INSERT INTO public.contracts VALUES (1, 'Lease'), (2, 'Supply');
});

# Actions in their lifecycle, with group ids that point at groups (restored after the actions).
my $a1 = as('alice', "SELECT actions.create_action($ws1, 'Sign the contract', assignee_id => $bob, due_on => '2031-06-30', record_id => $rec, group_ids => ARRAY[$emea])");
my $a2 = as('alice', "SELECT actions.create_action($ws1, 'Book the venue', assignee_id => $bob, group_ids => ARRAY[$sales])");
my $a3 = as('alice', "SELECT actions.create_action($ws1, 'Draft the agenda', description => 'two pages')");
my $a4 = as('alice', "SELECT actions.create_action($ws1, 'Replace the extinguishers', assignee_id => $carol, due_at => '2031-01-01 00:00+00')");
my $a5 = as('alice', "SELECT actions.create_action($ws1, 'Order badges', assignee_id => $bob, priority => 'high')");
my $a6 = as('alice', "SELECT actions.create_action($ws1, 'Prepare the budget', assignee_id => $alice)");
my $n1 = as('alice', "SELECT actions.add_note($a6, 'first draft attached')");
my $n2 = as('alice', "SELECT actions.add_note($a6, 'a note to delete')");
as('alice', "SELECT actions.edit_note($n1, 'second draft attached'); SELECT actions.delete_note($n2)");
as('alice', "SELECT actions.add_note($a2, 'venue called')");
as('bob', "SELECT actions.start($a1); SELECT actions.complete($a1, evidence => convert_to('signed', 'UTF8'), evidence_name => 'contract.pdf')");
as('bob', "SELECT actions.opt_out($ws1, 'due_soon')");
as('alice', "SELECT actions.cancel($a2, 'venue closed')");
as('alice', "SELECT actions.update_action($a3, title => 'Draft the agenda v2'); SELECT actions.delete_action($a3)");
as('alice', "SELECT actions.reassign($a5, $alice); SELECT actions.reassign($a5, $bob)");
as('carol', "SELECT actions.start($a4)");
# Through the trusted service, acting for a person.
as('web', "BEGIN; SELECT actions.act_as($bob); SELECT actions.create_action($ws1, 'Filed by the web app', assignee_id => $alice); COMMIT");
my $b1 = as('bob', "SELECT actions.create_action($ws2, 'Beta launch', assignee_id => $alice)");
as('alice', "SELECT actions.complete($b1)");
# A custom type, a template in two versions and actions made from each (types and templates are
# restored before the actions that name them).
as('alice', "SELECT actions.create_action_type($ws1, 'attestation', 'Annual attestation')");
my $tpl = as('alice', "SELECT actions.create_template($ws1, 'Attest', 'Attest {record_title}', type => 'attestation', due_in => 30, group_ids => ARRAY[$sales])");
as('bob', "SELECT actions.create_action_from_template($tpl, $rec)");
as('alice', "SELECT actions.update_template($tpl, title => 'Attest {record_title} again')");
as('bob', "SELECT actions.create_action_from_template($tpl, $rec, assignee_id => $bob)");
as('alice', "SELECT actions.create_action_type($ws1, 'old_kind', 'Old'); SELECT actions.create_action($ws1, 'Of an old kind', type => 'old_kind'); SELECT actions.retire_action_type($ws1, 'old_kind')");
# A pool (restored after the actions, groups and roles it names), a claim and a pending delegation.
my $p1 = as('alice', "SELECT actions.create_action($ws1, 'Count the chairs')");
as('alice', "SELECT actions.offer($p1, people => ARRAY[$carol]::bigint[], groups => ARRAY[$sales]::bigint[], roles => '{auditor}')");
as('bob', "SELECT actions.claim($p1)");
as('alice', "SELECT actions.delegate($a6, $bob)");
$node->safe_psql('app', "UPDATE actions.notification SET read_at = '2024-05-01 10:00+00' WHERE action_id = $a1");

# A maintenance run, so that its history is in the dump too.
$node->safe_psql('app', 'SELECT count(*) FROM actions.run_maintenance()');
is(broken_links('app'), '0', 'the source log verifies clean');
# Every table and sequence of the extension is dumped (pg_extension_config_dump), or rebuilt after a
# restore and named here and in the README. None is rebuilt today.
my %rebuilt = ();
is($node->safe_psql('app', q{
    SELECT coalesce(string_agg(c.relname, ' ' ORDER BY c.relname), '')
      FROM pg_depend d JOIN pg_class c ON c.oid = d.objid JOIN pg_extension e ON e.oid = d.refobjid
     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
       AND e.extname = 'pg_actions' AND c.relkind IN ('r', 'p', 'S', 'm') AND c.oid <> ALL (e.extconfig)}),
    join(' ', sort keys %rebuilt), 'every table and sequence of the extension is dumped with its rows');
is($node->safe_psql('app', q{
    SELECT coalesce(string_agg(c.relname, ' ' ORDER BY c.relname), '') FROM pg_extension e, unnest(e.extconfig) r(oid)
      JOIN pg_class c ON c.oid = r.oid
     WHERE e.extname = 'pg_actions' AND c.relkind = 'r'
       AND (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname IN ('restore_guard', 'restore_done')
               AND t.tgenabled = 'A') <> 2}),
    'list_secret', 'and guarded during a restore by both statement triggers, but the list secret (its own trigger replaces its one row)');
# The digests a DBA keeps outside, taken before the dump (they seal the ledger first).
my $digests = $node->safe_psql('app', "SELECT jsonb_agg(actions.ledger_digest(workspace_id) ORDER BY workspace_id) FROM actions.workspace");
like($digests, qr/"seal": 1/, 'a digest of each workspace is kept outside before the dump');
# Differences against those digests, over every workspace of a database.
sub ledger_problems
{
    my ($db) = @_;
    return $node->safe_psql($db, "SELECT coalesce(string_agg(w.workspace_id || ': ' || v.problem, '; '), '')
        FROM actions.workspace w, actions.verify_ledger(w.workspace_id,
            (SELECT jsonb_agg(d) FROM jsonb_array_elements('$digests'::jsonb) d
              WHERE (d ->> 'workspace_id')::bigint = w.workspace_id)) v");
}
is(ledger_problems('app'), '', 'the source verifies clean against the digests');
my $source = contents('app');
for my $t (qw(maintenance_run workspace person role member group group_member record record_party tracked_table action evidence note notification notification_opt_out notification_setting activity activity_head))
{
    unlike($source->{$t}, qr/^0 /, "the source has rows in actions.$t");
}
my $actors = $node->safe_psql('app', "SELECT count(DISTINCT actor_id) || ' ' || count(DISTINCT db_role) FROM actions.activity");
is($actors, '3 4', 'the log names three acting persons and four session roles');

# --- pg_dump -Fc, createdb, pg_restore: exactly the DBA's commands ---------------------------------
my $file = "$dir/app.dump";
my ($rc, $out, $err) = run('pg_dump', '-Fc', '-f', $file, 'app');
is($rc, 0, 'pg_dump -Fc exits 0');
($rc, $out, $err) = run('createdb', 'new');
is($rc, 0, 'createdb new exits 0');
my $listener = $node->background_psql('new');
$listener->query_safe('LISTEN pg_actions');
($rc, $out, $err) = run('pg_restore', '-d', 'new', $file);
is($rc, 0, 'pg_restore -d new exits 0');
is($err, '', 'pg_restore reports nothing');
same_as_source('new', $source, 'pg_restore');
is(broken_links('new'), '0', 'the restored log verifies clean');
is(ledger_problems('new'), '', 'the restored database verifies clean against the digests taken before the dump');
unlike($listener->query_safe('SELECT 1'), qr/Asynchronous notification/, 'the restore sent no notification');
$listener->quit;

# --- plain pg_dump, createdb, psql -f ---------------------------------------------------------------
my $sql = "$dir/app.sql";
($rc, $out, $err) = run('pg_dump', '-f', $sql, 'app');
is($rc, 0, 'pg_dump (plain) exits 0');
($rc, $out, $err) = run('createdb', 'new2');
is($rc, 0, 'createdb new2 exits 0');
($rc, $out, $err) = run('psql', '-X', '-v', 'ON_ERROR_STOP=1', '-d', 'new2', '-f', $sql);
is($rc, 0, 'psql -f of the plain dump exits 0');
is(join("\n", grep { /ERROR|FATAL/ } split /\n/, $err), '', 'psql reports no error');
same_as_source('new2', $source, 'psql -f');
is(broken_links('new2'), '0', 'the log restored by psql verifies clean');
is(ledger_problems('new2'), '', 'and against the digests taken before the dump');

# A dump edited before it is restored: one log entry's text changed in the COPY data (the action's
# title too, as a careful forger would). The restore succeeds; the digests reveal the edit.
my $forged = "$dir/forged.sql";
{
    open(my $in, '<', $sql) or die $!;
    open(my $outf, '>', $forged) or die $!;
    my $edits = 0;
    while (my $line = <$in>) { $edits += ($line =~ s/\tBeta launch\t/\tBeta postponed\t/g); print $outf $line; }
    close $in; close $outf;
    is($edits, 2, 'the forger changed the title in the action row and in its created entry');
}
run('createdb', 'new7');
($rc, $out, $err) = run('psql', '-X', '-v', 'ON_ERROR_STOP=1', '-d', 'new7', '-f', $forged);
is($rc, 0, 'the edited dump restores');
like(ledger_problems('new7'), qr/^$ws2: entry was altered: hash does not match its contents$/,
    'verify_ledger against the digests kept outside reports the edited entry');

# Variants a DBA may use restore the same: in one transaction, and the former way in replica mode.
($rc, $out, $err) = run('createdb', 'new5');
($rc, $out, $err) = run('pg_restore', '--single-transaction', '-d', 'new5', $file);
is($rc, 0, 'pg_restore --single-transaction exits 0');
is_deeply(contents('new5'), $source, 'and reproduces every table and sequence');
run('createdb', 'new6');
{
    local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
    ($rc, $out, $err) = run('pg_restore', '-d', 'new6', $file);
}
is($rc, 0, 'pg_restore in replica mode exits 0');
is_deeply(contents('new6'), $source, 'and reproduces every table and sequence');

# --- parallel restore: pg_restore -j 4 of the custom-format dump and of a directory dump -------------
# Its workers copy the extension's tables side by side, in no order of their foreign keys.
my $dirdump = "$dir/app.dir";
($rc, $out, $err) = run('pg_dump', '-Fd', '-j', '2', '-f', $dirdump, 'app');
is($rc, 0, 'pg_dump -Fd -j 2 exits 0');
for my $case ([ 'par1', $file, 'the custom-format dump' ], [ 'par2', $dirdump, 'the directory dump' ])
{
    my ($db, $from, $what) = @$case;
    run('createdb', $db);
    ($rc, $out, $err) = run('pg_restore', '-j', '4', '-d', $db, $from);
    is($rc, 0, "pg_restore -j 4 of $what exits 0");
    is($err, '', "pg_restore -j 4 of $what reports nothing");
    same_as_source($db, $source, "pg_restore -j 4 of $what");
    is(broken_links($db), '0', "the log restored by pg_restore -j 4 of $what verifies clean");
    is(ledger_problems($db), '', "and against the digests taken before the dump");
    is($node->safe_psql($db, 'SELECT count(*) FROM actions.verify_references()'), '0',
        "and every foreign key holds (actions.verify_references())");
}
is($node->safe_psql('new', 'SELECT count(*) FROM actions.verify_references()'), '0',
    'every foreign key holds after the serial restore too');
# A row whose target is gone (as a forged dump would leave it: the restore's COPY does not check)
# is what verify_references() reports.
$node->safe_psql('par2', "SET session_replication_role = replica; DELETE FROM actions.\"group\" WHERE group_id = $emea");
is($node->safe_psql('par2', "SELECT table_name || ' ' || constraint_name || ' ' || rows_without_target FROM actions.verify_references() WHERE table_name = 'actions.group_member'::regclass"),
    'actions.group_member group_member_workspace_id_group_id_fkey 1', 'verify_references() reports a row whose target is missing');
# A restore's COPY skips the foreign-key checks for its own rows only: within the same transaction
# the next statement runs in the session's own replication role again.
run('createdb', 'new8');
$node->safe_psql('new8', 'CREATE EXTENSION pg_actions');
is($node->safe_psql('new8', "BEGIN;\nCOPY actions.maintenance_run (run_id, task, started_at, duration, outcome, rows_affected, sqlstate, error) FROM stdin;\n7\tmark_overdue\t2024-05-01 10:00+00\t00:00:01\tsucceeded\t0\t\\N\t\\N\n\\.\nSHOW session_replication_role;\nCOMMIT;"),
    'origin', 'after a restore\'s COPY the transaction goes on in origin mode');
is($node->safe_psql('new8', 'SELECT run_id || task FROM actions.maintenance_run'), '7mark_overdue', 'and the row was restored');

# --- work goes on after the restore ----------------------------------------------------------------
my $next_id = $node->safe_psql('app', 'SELECT last_value + 1 FROM actions.action_action_id_seq');
my $after = as('alice', "SELECT actions.create_action($ws1, 'After the restore', assignee_id => $bob)", 'new');
is($after, $next_id, 'a new action gets the next fresh id');
is($node->safe_psql('new', "SELECT string_agg(event || ' by ' || actor_id || ' as ' || db_role, ', ' ORDER BY seq) FROM actions.activity WHERE action_id = $after"),
    "created by $alice as alice, assigned by $alice as alice", 'and is logged with its actor');
is($node->safe_psql('new', "SELECT count(*) FROM actions.notification WHERE action_id = $after"), '1',
    'and notifies its assignee');
as('alice', "SELECT actions.reassign($a5, $alice)", 'new');
is($node->safe_psql('new', "SELECT max(seq) FROM actions.activity WHERE action_id = $a5"),
    $node->safe_psql('app', "SELECT max(seq) + 1 FROM actions.activity WHERE action_id = $a5"),
    'a restored action\'s chain continues from its restored head');
my $person = $node->safe_psql('new', "SELECT actions.create_person('erin\@example.com', 'Erin')");
is($person, $node->safe_psql('app', 'SELECT last_value + 1 FROM actions.person_person_id_seq'), 'a new person gets a fresh id');
my $ws3 = $node->safe_psql('new', "SELECT actions.create_workspace('Gamma', owner_id => $person)");
is($node->safe_psql('new', "SELECT count(*) FROM actions.role WHERE workspace_id = $ws3 AND is_system"), '5',
    'a new workspace is seeded with its system roles');
is($node->safe_psql('new', "SELECT count(*) FROM actions.record_kind WHERE workspace_id = $ws3"), '5',
    'and its record kinds');
is($node->safe_psql('new', "SELECT count(*) FROM actions.action_type WHERE workspace_id = $ws3 AND is_system"), '6',
    'and its system action types');
as('bob', "SELECT actions.release($p1)", 'new');
is(as('bob', "SELECT actions.can('claim', $p1)", 'new'), 't', 'the restored pool works: the claimant releases, and may claim again');
as('bob', "SELECT actions.resolve($a6)", 'new');
is(as('alice', "SELECT assignee_id FROM actions.action WHERE action_id = $a6", 'new'), $alice,
    'the restored delegation works: the delegate resolves it back');
like(as('bob', "SELECT actions.create_action_from_template($tpl, $rec)", 'new'), qr/^\d+$/,
    'a restored template makes actions');
as('alice', "INSERT INTO public.contracts VALUES (3, 'Cleaning')", 'new');
is($node->safe_psql('new', "SELECT count(*) FROM actions.record WHERE source_table = 'public.contracts'::regclass"), '3',
    'the adopted table is still tracked');
is(broken_links('new'), '0', 'the restored log still verifies clean after new work');

# --- COPY that is not a restore is checked and logged -------------------------------------------
my $columns = $node->safe_psql('new',
    "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'actions.action'::regclass AND attnum > 0 AND NOT attisdropped");
# A row of every column, as pg_dump writes it, for an action that does not exist yet.
sub dumped_row
{
    my ($id, $title) = @_;
    return $node->safe_psql('new', qq{
        COPY (SELECT workspace_id, $id, '$title', description, type, priority, 'to_do', owner_id, assignee_id,
                     NULL::timestamptz, NULL::bigint, created_at, updated_at, NULL::timestamptz, NULL::timestamptz,
                     NULL::bigint, NULL::text, NULL::bigint, '{}'::bigint[], NULL::text, NULL::text, NULL::text,
                     NULL::bigint, NULL::integer, false, false, NULL::bigint, NULL::text
                FROM actions.action WHERE action_id = $a5) TO STDOUT});
}
$node->safe_psql('new', 'GRANT SELECT, INSERT ON actions.action TO loader');
my $row = dumped_row(9001, 'copied by loader');
($rc, $out, $err) = $node->psql('new', "COPY actions.action ($columns) FROM stdin;\n$row\n\\.\n", extra_params => [ '-U', 'loader' ]);
isnt($rc, 0, 'a non-superuser with BYPASSRLS granted INSERT, acting for nobody, cannot COPY into actions.action');
like($err, qr/writes actions\.action directly only while acting for a person/, '... the direct write triggers refuse it');
$node->safe_psql('new', "SELECT actions.trust_service('loader', 'a loader')");
($rc, $out, $err) = $node->psql('new', "BEGIN;\nSELECT FROM actions.act_as($alice);\nCOPY actions.action ($columns) FROM stdin;\n$row\n\\.\nCOMMIT;\n",
    extra_params => [ '-U', 'loader' ]);
is($rc, 0, 'acting for a person who may create it, it copies a row of every column into actions.action');
is($node->safe_psql('new', "SELECT string_agg(event || ' as ' || db_role, ', ') FROM actions.activity WHERE action_id = 9001"),
    'created as loader, assigned as loader', 'its COPY is no restore: the row is logged');
$row = dumped_row(9002, 'copied unqualified');
$node->safe_psql('new', "SET search_path = actions; COPY action ($columns) FROM stdin;\n$row\n\\.\n");
is($node->safe_psql('new', "SELECT string_agg(event || ' as ' || db_role, ', ') FROM actions.activity WHERE action_id = 9002"),
    'created as postgres, assigned as postgres', 'a superuser\'s COPY naming the table without its schema is logged');
$node->safe_psql('new', "COPY actions.action (workspace_id, title) FROM stdin;\n$ws1\timported by the superuser\n\\.\n");
is($node->safe_psql('new', "SELECT string_agg(l.event, ', ') FROM actions.activity l JOIN actions.action a USING (workspace_id, action_id) WHERE a.title = 'imported by the superuser'"),
    'created', 'a superuser\'s COPY of new rows (ids left to the sequence) is logged');
my $copied = $node->safe_psql('new', "BEGIN; SELECT FROM actions.act_as($alice); COPY (SELECT actions.create_action($ws1, 'made by COPY TO')) TO STDOUT; COMMIT;");
is($node->safe_psql('new', "SELECT string_agg(event || ' by ' || actor_id, ', ') FROM actions.activity WHERE action_id = $copied"),
    "created by $alice", 'a superuser\'s COPY TO of a query calling the API is logged');
is(broken_links('new'), '0', 'and the log still verifies clean');

# --- what cannot work fails loudly and changes nothing ----------------------------------------------
my $hint = qr/HINT:\s+Restore into a new database: createdb NEW && pg_restore -d NEW FILE/;
my $in_use = contents('new');
($rc, $out, $err) = run('pg_restore', '--data-only', '-d', 'new', $file);
isnt($rc, 0, 'a data-only restore into a database in use fails');
like($err, qr/cannot restore actions\.\w+: the table already holds rows/, 'it says why');
like($err, $hint, 'and names the command that works');
is_deeply(contents('new'), $in_use, 'and changes no table and no sequence');

my $data_sql = "$dir/app-data.sql";
($rc, $out, $err) = run('pg_dump', '--data-only', '-f', $data_sql, 'app');
is($rc, 0, 'pg_dump --data-only exits 0');
($rc, $out, $err) = run('psql', '-X', '-d', 'new', '-f', $data_sql);
isnt($rc, 0, 'psql -f of a data-only dump into a database in use fails, even without ON_ERROR_STOP');
like($err, $hint, 'and names the command that works');
is_deeply(contents('new'), $in_use, 'and changes no table and no sequence');

my $ins_sql = "$dir/app-inserts.sql";
($rc, $out, $err) = run('pg_dump', '--inserts', '-f', $ins_sql, 'app');
is($rc, 0, 'pg_dump --inserts exits 0');
run('createdb', 'new3');
($rc, $out, $err) = run('psql', '-X', '-d', 'new3', '-f', $ins_sql);
isnt($rc, 0, 'a dump made with --inserts does not restore, even without ON_ERROR_STOP');
like($err, qr/a dump made with pg_dump --inserts cannot be restored/, 'it says why');
like($err, qr/HINT:\s+Dump with pg_dump -Fc .* createdb NEW && pg_restore -d NEW FILE/, 'and names the commands that work');
is($node->safe_psql('new3', "SELECT count(*) FROM pg_extension WHERE extname = 'pg_actions'"), '1', 'the extension was created');
my $after_inserts = contents('new3');
# CREATE EXTENSION made a list secret of its own; the dumped one was not restored either.
isnt($after_inserts->{list_secret}, $source->{list_secret}, 'the list secret is the new one CREATE EXTENSION made');
delete $after_inserts->{list_secret};
is(join(' ', map { "$_=$after_inserts->{$_}" } grep { $after_inserts->{$_} !~ /^(0 |1 false)/ } sort keys %$after_inserts), '',
    'but no row and no sequence value was restored');

# A data-only restore into a database where only CREATE EXTENSION ran (and the application's
# table exists, since actions.record names it) works.
run('createdb', 'new4');
$node->safe_psql('new4', 'CREATE EXTENSION pg_actions; CREATE TABLE public.contracts (id integer PRIMARY KEY, name text NOT NULL)');
($rc, $out, $err) = run('pg_restore', '--data-only', '-d', 'new4', $file);
is($rc, 0, 'a data-only restore into a fresh extension exits 0');
same_as_source('new4', $source, 'a data-only restore');
is(broken_links('new4'), '0', 'and its log verifies clean');

$node->stop;
done_testing();
