# The files a release is made of agree with each other. The version is written once, in
# pg_actions.control (default_version); META.json (PGXN) repeats it as SemVer, and this test fails
# when they drift apart. Every version has its upgrade path from 0.1, its CHANGELOG section, and
# the install scripts of earlier versions are kept.
use strict;
use warnings;
use Cwd qw(getcwd);
use JSON::PP;
use PostgreSQL::Test::Utils;
use Test::More;

my $top = getcwd();
ok(-f "$top/pg_actions.control", 'run from the top of the checkout') or BAIL_OUT('not at the top of the checkout');
my ($version) = slurp_file("$top/pg_actions.control") =~ /^default_version\s*=\s*'([^']*)'/m;
like($version, qr/^\d+\.\d+(\.\d+)?$/, 'pg_actions.control has a default_version of numbers');
my $semver = $version =~ /^\d+\.\d+$/ ? "$version.0" : $version;

my $meta = eval { JSON::PP->new->decode(slurp_file("$top/META.json")) };
ok($meta, 'META.json is JSON') or diag($@);
is($meta->{name}, 'pg_actions', 'META.json names the distribution');
is($meta->{version}, $semver, "META.json's version is the control file's default_version as SemVer ($semver)");
is($meta->{provides}{pg_actions}{version}, $semver, 'and so is the version of the extension it provides');
is($meta->{'meta-spec'}{version}, '1.0.0', 'META.json follows the PGXN meta spec 1.0.0');
is($meta->{license}, 'postgresql', 'under the PostgreSQL licence');
ok(defined $meta->{abstract} && $meta->{abstract} ne '' && defined $meta->{maintainer}, 'with an abstract and a maintainer');
for my $key (qw(file docfile))
{
    ok(-f "$top/$meta->{provides}{pg_actions}{$key}", "META.json's provides $key exists ($meta->{provides}{pg_actions}{$key})");
}
like($meta->{prereqs}{runtime}{requires}{PostgreSQL} // '', qr/^15\.0\.0$/, 'it requires PostgreSQL 15 or later');

like(slurp_file("$top/LICENSE"), qr/PostgreSQL License.*Permission to use, copy, modify, and distribute this software/s,
    'LICENSE is the PostgreSQL licence');
like(slurp_file("$top/CHANGELOG.md"), qr/^## \Q$version\E\b/m, "CHANGELOG.md has a section for $version");

# From 0.1 on, every version can be reached from the previous one; only the current version's
# install script is built from src/sql, the earlier ones are kept in src/sql/upgrade.
my @upgrades = map { m{pg_actions--([^-]+)--([^-]+)\.sql$} ? [ $1, $2 ] : () } glob("$top/src/sql/upgrade/pg_actions--*--*.sql");
my %next = map { $_->[0] => $_->[1] } @upgrades;
my ($at, @path) = ('0.1');
while (exists $next{$at} && @path < 100) { push @path, $at; $at = $next{$at}; }
is($at, $version, "src/sql/upgrade leads from 0.1 to $version (" . join(' -> ', @path, $at) . ')');
for my $old (@path)
{
    ok(-f "$top/src/sql/upgrade/pg_actions--$old.sql", "the install script of $old is kept");
}
ok(!-f "$top/src/sql/upgrade/pg_actions--$version.sql", "the install script of $version is built from src/sql, not kept");

done_testing();
