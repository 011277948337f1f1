# Upgrading in place: a database made and used with the previous release (its library, control
# file and install script, built from git by test/old_version.sh) is updated with ALTER EXTENSION
# pg_actions UPDATE after this build is installed. Before the update the new library refuses to
# run against the old schema (55000, with the hint to update); after it, the schema is the one a
# fresh CREATE EXTENSION makes (pg_dump --schema-only --binary-upgrade of both, which lists every
# object of the extension), the data is what it was, the log verifies clean and the API works.
#
# The server runs from a private copy of the PostgreSQL installation (PostgreSQL finds its share
# and lib directories relative to its binaries), so that the old release can be installed into it.
#   PG_ACTIONS_OLD_LIBRARY  the previous release's pg_actions.so; beside it its pg_actions.control
#                           and install script (test/old_version.sh prints it; run_all.sh sets it)
#   PG_CONFIG               the PostgreSQL whose copy is made; this build must be installed into it
use strict;
use warnings;
use Cwd qw(realpath);
use File::Basename qw(dirname basename);
use File::Copy qw(copy);
use File::Path qw(make_path);
use File::Spec;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $old_library = $ENV{PG_ACTIONS_OLD_LIBRARY};
# Never a silent pass: without the old release there is nothing to test, and that is a failure
# here (run_all.sh reports the suite as skipped, with the reason, when it cannot build it).
die "PG_ACTIONS_OLD_LIBRARY is not set or not a file: build it with test/old_version.sh\n"
  unless defined $old_library && -f $old_library;
my $old_dir = dirname($old_library);

sub default_version
{
    my ($control) = @_;
    my ($v) = slurp_file($control) =~ /^default_version\s*=\s*'([^']*)'/m;
    die "no default_version in $control\n" unless defined $v;
    return $v;
}

# --- a private copy of the installation -------------------------------------------------------
my $pg_config = $ENV{PG_CONFIG} // 'pg_config';
my %real;
for my $what (qw(bindir sharedir pkglibdir))
{
    my $dir = `$pg_config --$what`;
    die "$pg_config --$what failed\n" if $?;
    chomp $dir;
    $real{$what} = realpath($dir);
}
my $old_version = default_version("$old_dir/pg_actions.control");
my $new_version = default_version("$real{sharedir}/extension/pg_actions.control");
isnt($new_version, $old_version, "this build ($new_version) is another version than the old release ($old_version)");

# The deepest directory that holds bindir, sharedir and pkglibdir: their layout below it is kept.
my @common = File::Spec->splitdir($real{bindir});
for my $dir ($real{sharedir}, $real{pkglibdir})
{
    my @parts = File::Spec->splitdir($dir);
    my $n = 0;
    $n++ while $n < @common && $n < @parts && $common[$n] eq $parts[$n];
    splice(@common, $n);
}
my $root = File::Spec->catdir(@common);
my $copy = PostgreSQL::Test::Utils::tempdir('pg');
my %mine = map { $_ => $copy . substr($real{$_}, length $root) } keys %real;
for my $what (qw(bindir sharedir))
{
    make_path(dirname($mine{$what}));
    system('cp', '-a', $real{$what}, $mine{$what}) == 0 or die "could not copy $real{$what}\n";
}
# The modules of pkglibdir are linked, not copied; pg_actions.so is put in place below.
make_path($mine{pkglibdir}) unless -d $mine{pkglibdir};
opendir(my $dh, $real{pkglibdir}) or die "cannot read $real{pkglibdir}: $!\n";
for my $entry (readdir $dh)
{
    next if $entry =~ /^\.\.?$/ || $entry =~ /^pg_actions/ || -e "$mine{pkglibdir}/$entry";
    symlink("$real{pkglibdir}/$entry", "$mine{pkglibdir}/$entry") or die "cannot link $entry: $!\n";
}
closedir $dh;
my $install_path = dirname($mine{bindir});
is(`$mine{bindir}/pg_config --sharedir` =~ s/\n//r, $mine{sharedir}, 'the copy of PostgreSQL finds its own share directory');

my $extdir = "$mine{sharedir}/extension";
unlink glob("$extdir/pg_actions*");
sub install_file
{
    my ($from, $to) = @_;
    unlink $to;
    copy($from, $to) or die "cannot copy $from to $to: $!\n";
}

# The old release, as a DBA had it installed.
install_file($old_library, "$mine{pkglibdir}/pg_actions.so");
install_file("$old_dir/pg_actions.control", "$extdir/pg_actions.control");
install_file("$old_dir/pg_actions--$old_version.sql", "$extdir/pg_actions--$old_version.sql");
is(slurp_file("$real{sharedir}/extension/pg_actions--$old_version.sql"),
    slurp_file("$old_dir/pg_actions--$old_version.sql"),
    "the install script of $old_version kept in src/sql/upgrade is the one $old_version shipped");

my $node = PostgreSQL::Test::Cluster->new('upgrade', install_path => $install_path);
$node->init(extra => [ '-U', 'postgres' ]);
$node->start;
is($node->safe_psql('postgres', "SELECT default_version FROM pg_available_extensions WHERE name = 'pg_actions'"),
    $old_version, "the server offers pg_actions $old_version");

sub as
{
    my ($who, $sql, $db) = @_;
    return $node->safe_psql($db // 'app', $sql, extra_params => [ '-U', $who ]);
}

# --- the old release in use ---------------------------------------------------------------------
$node->safe_psql('postgres', q{
    CREATE DATABASE app;
    CREATE ROLE alice LOGIN;
    CREATE ROLE bob LOGIN;
    CREATE ROLE dora LOGIN;
    CREATE ROLE web LOGIN;
});
$node->safe_psql('app', 'CREATE EXTENSION pg_actions');
is($node->safe_psql('app', "SELECT extversion FROM pg_extension WHERE extname = 'pg_actions'"), $old_version,
    "pg_actions $old_version is installed");

my $alice = $node->safe_psql('app', "SELECT actions.create_person('alice\@example.com', 'Alice', 'alice')");
my $bob = $node->safe_psql('app', "SELECT actions.create_person('bob\@example.com', 'Bob', 'bob')");
my $dora = $node->safe_psql('app', "SELECT actions.create_person('dora\@example.com', 'Dora', 'dora')");
my $ws = $node->safe_psql('app', "SELECT actions.create_workspace('Acme', 'Europe/Berlin', owner_id => $alice)");
my $ws2 = $node->safe_psql('app', "SELECT actions.create_workspace('Second', owner_id => $dora)");
$node->safe_psql('app', qq{
    SELECT actions.add_member($ws, $bob, 'user');
    SELECT actions.add_member($ws2, $bob, 'user');
    SELECT actions.trust_service('web', 'the web application');
});
my $sales = as('alice', "SELECT actions.create_group($ws, 'Sales')");
my $north = as('alice', "SELECT actions.create_group($ws, 'North', parent_id => $sales)");
as('alice', "SELECT actions.add_group_member($north, $bob)");
my $reviewer = as('alice', "SELECT actions.create_role($ws, 'reviewer', '{view_actions}')");
my $rec = as('alice', "SELECT actions.create_record($ws, 'Board decision 7', 'decision', ARRAY[$sales])");
my $a1 = as('alice', "SELECT actions.create_action($ws, 'Sign the contract', assignee_id => $bob, due_on => '2031-06-30', record_id => $rec)");
my $a2 = as('alice', "SELECT actions.create_action($ws, 'Book the venue', assignee_id => $bob, group_ids => ARRAY[$north])");
my $a3 = as('alice', "SELECT actions.create_action($ws, 'Draft the agenda', description => 'two pages')");
my $a4 = as('alice', "SELECT actions.create_action($ws, 'Order badges', priority => 'high')");
my $a5 = as('dora', "SELECT actions.create_action($ws2, 'Plan the offsite', assignee_id => $bob)", 'app');
as('alice', "SELECT actions.assign($a4, $bob); SELECT actions.reassign($a4, $alice)");
as('bob', "SELECT actions.start($a1)");
as('alice', "SELECT actions.add_note($a1, 'waiting for the signature')");
as('bob', "SELECT actions.complete($a1, evidence => convert_to('signed', 'UTF8'), evidence_name => 'contract.pdf')");
as('alice', "SELECT actions.cancel($a2, 'venue closed')");
as('alice', "SELECT actions.add_note($a3, 'first draft'); SELECT actions.update_action($a3, title => 'Draft the agenda v2')");
as('alice', "SELECT actions.delete_action($a3)");
as('dora', "SELECT actions.add_note($a5, 'budget approved')");
my $invited = as('alice', "SELECT actions.assign_by_email($a4, 'carol\@example.com', 'Carol')");
is($invited, 't', 'a person assigned by e-mail is invited');
my $a7 = $node->safe_psql('app', "SELECT actions.create_action($ws, 'Call the caterer') FROM actions.act_as($bob)",
    extra_params => [ '-U', 'web' ]);
$node->safe_psql('app', "UPDATE actions.notification SET read_at = '2024-05-01 10:00+00' WHERE action_id = $a1");

sub broken_links
{
    my ($db) = @_;
    return $node->safe_psql($db // 'app', 'SELECT count(*) FROM actions.workspace w, actions.verify_log(w.workspace_id)');
}
is(broken_links(), '0', "the log of $old_version verifies clean");
# The ledger of the old release (0.2 on): two seals, the second after a change, and the digest kept.
my $old_digest = '';
if ($old_version ne '0.1')
{
    $node->safe_psql('app', "SELECT actions.seal_ledger(w.workspace_id) FROM actions.workspace w");
    as('alice', "SELECT actions.add_note($a4, 'forty badges')");
    $old_digest = $node->safe_psql('app', "SELECT actions.ledger_digest($ws)");
    like($old_digest, qr/"seal": 2\b/, "$old_version sealed the ledger twice");
}

# Every row of every table of the extension, and where every sequence stands, with the columns
# the old release has (a later version may add columns; the old ones must keep their values).
my %columns = map { split /\t/ } split /\n/, $node->safe_psql('app', q{
    SELECT c.relname || E'\t' || string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind IN ('r', 'p')
     GROUP BY c.relname});
my @sequences = split /\n/, $node->safe_psql('app',
    "SELECT relname FROM pg_class WHERE relnamespace = 'actions'::regnamespace AND relkind = 'S' ORDER BY 1");
sub contents
{
    my ($db) = @_;
    $db //= 'app';
    my %rows;
    for my $t (sort keys %columns)
    {
        my $from = "actions.\"$t\"";
        # 0.3 keeps a seal's leaves in arrays, up to 10,000 to a row: the old release's rows, expanded.
        $from = '(SELECT f.workspace_id, f.seal_no, u.action_id, u.seq, u.hash FROM actions.ledger_leaf f, '
            . 'unnest(f.action_ids, f.seqs, f.hashes) u(action_id, seq, hash)) l'
            if $t eq 'ledger_leaf'
            && $node->safe_psql($db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'actions.ledger_leaf'::regclass AND attname = 'action_ids'");
        $rows{$t} = $node->safe_psql($db,
            "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM (SELECT $columns{$t} FROM $from) t");
    }
    for my $s (@sequences)
    {
        $rows{"sequence $s"} = $node->safe_psql($db, "SELECT last_value || ' ' || is_called FROM actions.\"$s\"");
    }
    return \%rows;
}
my $before = contents();
my $a5_head = $node->safe_psql('app', "SELECT max(seq) FROM actions.activity WHERE action_id = $a5");
cmp_ok(scalar(split /\n/, $before->{activity}), '>=', 20, 'the history has its entries');
cmp_ok(scalar(grep { $_ ne '' } values %$before), '>=', 15, 'most tables have rows');

# A backup of the old release, restored after the update below.
my $dump = $node->basedir . '/app-old.sql';
$node->command_ok([ "$mine{bindir}/pg_dump", '-d', $node->connstr('app'), '-f', $dump ], "pg_dump of the $old_version database");

# --- this build installed: the new library meets the old schema ---------------------------------
$node->stop;
install_file("$real{pkglibdir}/pg_actions.so", "$mine{pkglibdir}/pg_actions.so");
unlink glob("$extdir/pg_actions*");
for my $file (glob("$real{sharedir}/extension/pg_actions.control"), glob("$real{sharedir}/extension/pg_actions--*.sql"))
{
    install_file($file, "$extdir/" . basename($file));
}
$node->start;
isnt($node->safe_psql('postgres',
        "SELECT path FROM pg_extension_update_paths('pg_actions') WHERE source = '$old_version' AND target = '$new_version'"),
    '', "this build ships an update path from $old_version to $new_version");

my @verbose = (extra_params => [ '-U', 'bob', '-v', 'VERBOSITY=verbose' ]);
my ($ret, $out, $err) = $node->psql('app', "SELECT actions.start($a5)", @verbose);
isnt($ret, 0, 'before the update the API refuses to run');
like($err, qr/ERROR:\s+55000: pg_actions library \Q$new_version\E does not match the installed schema \Q$old_version\E/,
    'with 55000 naming both versions');
like($err, qr/HINT:\s+run ALTER EXTENSION pg_actions UPDATE in this database/, 'and the hint to update');
($ret, $out, $err) = $node->psql('app', "UPDATE actions.action SET priority = 'low' WHERE action_id = $a5",
    extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:\s+55000: pg_actions library/, "a write that fires the library's triggers is refused too");
($ret, $out, $err) = $node->psql('app', 'CREATE TABLE unrelated (id int); DROP TABLE unrelated');
is($err, '', "other DDL in the database still works (the extension's event trigger)");
is_deeply(contents(), $before, 'the refusals changed nothing');

$node->safe_psql('app', 'ALTER EXTENSION pg_actions UPDATE');
is($node->safe_psql('app', "SELECT extversion FROM pg_extension WHERE extname = 'pg_actions'"), $new_version,
    "ALTER EXTENSION pg_actions UPDATE brings it to $new_version");

# --- the updated schema is the one a fresh install makes ----------------------------------------
$node->safe_psql('postgres', 'CREATE DATABASE fresh');
$node->safe_psql('fresh', 'CREATE EXTENSION pg_actions');

# pg_dump --schema-only writes only CREATE EXTENSION for an extension; in binary-upgrade mode it
# writes every object of it (with its comment, its privileges and ALTER EXTENSION ... ADD), which
# is what is compared. What differs between two databases without being a difference of the
# schema is left out: object ids (the binary-upgrade calls that preserve them), the random
# \restrict key of newer pg_dump releases, the transaction ids a table was frozen at, the
# oids of the extension's configuration tables (compared by name below), and where the sequences
# dumped with the data stand (that is data, compared with the rest of it).
sub schema_of
{
    my ($db) = @_;
    my $file = $node->basedir . "/$db.schema.sql";
    my $result = run_log([ "$mine{bindir}/pg_dump", '--schema-only', '--binary-upgrade',
        '-d', $node->connstr($db), '-f', $file ]);
    die "pg_dump of $db failed\n" unless $result;
    my @lines;
    for (split /\n/, slurp_file($file))
    {
        next if /^SELECT pg_catalog\.binary_upgrade_set_next_/;
        next if /^\\(un)?restrict /;
        s/^SET relfrozenxid = '\d+', relminmxid = '\d+'$/SET relfrozenxid = <xid>, relminmxid = <mxid>/;
        s/^WHERE oid = '\d+';$/WHERE oid = <oid>;/;
        s/^(SELECT pg_catalog\.setval\('[^']+'), \d+, (true|false)\);$/$1, <value>);/;
        s/(binary_upgrade_create_empty_extension\('pg_actions', [^,]+, [^,]+, '[^']*'), '\{[0-9,]*\}'/$1, '{<oids>}'/;
        push @lines, $_;
    }
    my $normal = $node->basedir . "/$db.schema.normal.sql";
    open(my $fh, '>', $normal) or die $!;
    print $fh join("\n", @lines), "\n";
    close $fh;
    return $normal;
}
my ($upgraded_schema, $fresh_schema) = (schema_of('app'), schema_of('fresh'));
my $same = slurp_file($upgraded_schema) eq slurp_file($fresh_schema);
ok($same, "the schema after the update equals a fresh install of $new_version (pg_dump --schema-only --binary-upgrade)");
diag(scalar `diff -u '$fresh_schema' '$upgraded_schema' | head -200`) unless $same;
cmp_ok(scalar(split /\n/, slurp_file($fresh_schema)), '>', 1000, 'the dump lists the objects of the extension');
my $config = q{
    SELECT coalesce(string_agg(c::regclass::text || ' ' || coalesce(w, ''), ', ' ORDER BY c::regclass::text), '')
      FROM pg_extension x, unnest(x.extconfig, x.extcondition) AS u(c, w) WHERE x.extname = 'pg_actions'};
is($node->safe_psql('app', $config), $node->safe_psql('fresh', $config),
    'the same tables and sequences are dumped with the data (pg_extension_config_dump)');

# --- the data, the log and the API after the update ---------------------------------------------
is_deeply(contents(), $before, 'the update kept every row of every table and every sequence');
is(broken_links(), '0', 'the log verifies clean after the update');
as('bob', "SELECT actions.start($a5)");
is($node->safe_psql('app', "SELECT string_agg(event, ', ' ORDER BY seq) FROM actions.activity WHERE action_id = $a5 AND seq > $a5_head"),
    'started', 'the chain of an action of the old release continues after the update');
my $a6 = as('alice', "SELECT actions.create_action($ws, 'After the update', assignee_id => $bob, group_ids => ARRAY[$north])");
as('bob', "SELECT actions.complete($a6, evidence => convert_to('done', 'UTF8'), evidence_name => 'done.txt')");
as('dora', "SELECT actions.add_note($a5, 'moved to June')");
is($node->safe_psql('app', "SELECT status FROM actions.action WHERE action_id = $a6"), 'complete',
    'an action made after the update is completed');
is($node->safe_psql('app', "SELECT string_agg(event, ', ' ORDER BY seq) FROM actions.activity WHERE action_id = $a6"),
    'created, assigned, completed', 'and logged');
is(broken_links(), '0', 'the log still verifies clean');
if ($old_digest ne '')
{
    is($node->safe_psql('app', "SELECT count(*) FROM actions.verify_ledger($ws, '$old_digest')"), '0',
        "the seals of $old_version verify after the update (their leaves converted), against the digest kept then");
    my $new_digest = $node->safe_psql('app', "SELECT actions.ledger_digest($ws)");
    like($new_digest, qr/"seal": 3\b/, 'a seal after the update holds the changes made since');
    is($node->safe_psql('app', "SELECT count(*) FROM actions.verify_ledger($ws, jsonb_build_array('$old_digest'::jsonb, '$new_digest'::jsonb))"),
        '0', 'it chains to them and verifies, against both digests');
}

# --- a backup of the old release restored on the new one ----------------------------------------
# pg_dump writes CREATE EXTENSION IF NOT EXISTS without a version: the old version is created first,
# the dump restored into it (triggers in replica mode, as for any restore), then updated. The
# dump's CREATE SCHEMA actions then fails, as expected (docs/install.md says so); nothing else may.
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->safe_psql('restored', "CREATE EXTENSION pg_actions VERSION '$old_version'");
($ret, $out, $err) = $node->psql('restored', undef, on_error_stop => 0,
    extra_params => [ '-c', 'SET session_replication_role = replica', '-f', $dump ]);
is(join("\n", grep { /ERROR/ && !/ERROR:  schema "actions" already exists/ } split /\n/, $err), '', "the $old_version backup restores into $old_version with the new library installed");
$node->safe_psql('restored', 'ALTER EXTENSION pg_actions UPDATE');
is_deeply(contents('restored'), $before, 'and after the update it holds what the old database held');
is(broken_links('restored'), '0', 'its log verifies clean');
my $restored_schema = schema_of('restored');
is(slurp_file($restored_schema), slurp_file($fresh_schema), 'and its schema is that of a fresh install');

# --- the version check in one session ------------------------------------------------------------
# It is made again after CREATE/DROP EXTENSION in the session, also inside one transaction
# (actions.current_actor() is a function of the library).
$node->safe_psql('postgres', 'CREATE DATABASE scratch');
$node->safe_psql('scratch', 'CREATE EXTENSION pg_actions');
($ret, $out, $err) = $node->psql('scratch', qq{
    SELECT actions.current_actor() IS NULL;
    BEGIN;
    SELECT actions.current_actor() IS NULL;
    DROP EXTENSION pg_actions;
    CREATE EXTENSION pg_actions VERSION '$old_version';
    SELECT actions.current_actor() IS NULL;
    COMMIT;}, extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:\s+55000: pg_actions library \Q$new_version\E does not match the installed schema \Q$old_version\E/,
    "a session that used $new_version is refused once the extension is made $old_version again");
# pg_actions' own extension scripts may call the library: in an update over several versions every
# step runs with the newest library (here a made-up next version whose script calls it).
$node->safe_psql('scratch', "DROP EXTENSION pg_actions; CREATE EXTENSION pg_actions");
open(my $next, '>', "$extdir/pg_actions--$new_version--99.0.sql") or die $!;
print $next "SELECT actions.current_actor() IS NULL;\n";
close $next;
($ret, $out, $err) = $node->psql('scratch', "ALTER EXTENSION pg_actions UPDATE TO '99.0'");
is($err, '', "an update script may call the library although its version is another");
($ret, $out, $err) = $node->psql('scratch', 'SELECT actions.current_actor() IS NULL',
    extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:\s+55000: pg_actions library \Q$new_version\E does not match the installed schema 99\.0/,
    'after it, a library older than the schema is refused');
like($err, qr/HINT:\s+reconnect/, 'with the hint to reconnect (or install the matching library)');
unlink "$extdir/pg_actions--$new_version--99.0.sql";

$node->stop;
done_testing();
