#!/usr/bin/env bash
# The SQL of the documentation runs: every ```sql block of README.md, docs/*.md and bench/README.md,
# in order, each file in a fresh database of its own, by psql as the superuser with ON_ERROR_STOP.
# A block whose info string is `sql fragment` is an excerpt (it needs a set-up the guide gives only
# in words, or shows output) and is skipped. A block whose info string is `sql requires=EXT` needs
# the optional extension EXT: it runs where this PostgreSQL has EXT, else it is skipped and counted
# as skipped (PostgreSQL 18 built by test/pg_build.sh has no contrib modules such as pg_trgm). README.md's database starts empty, since its quick tour
# creates the extension itself; every other file's starts with CREATE EXTENSION pg_actions.
#   bash test/docs_sql.sh [FILE.md ...]     (PGHOST, PGPORT, PGUSER: a running cluster's superuser)
# Prints one line per file, then "docs: N passed, N failed, N fragments, N skipped" counting blocks:
# a file that fails at block k counts its blocks before k as passed, k and every later one as failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
files=("$@")
[ ${#files[@]} -eq 0 ] && files=(README.md docs/*.md bench/README.md)
log=${DOCS_SQL_LOG:-$top/build/test-logs/docs}
mkdir -p "$log"
passed=0 failed=0 fragments=0 skipped=0
# The optional extensions this PostgreSQL has, for `sql requires=EXT` blocks.
available=" $(psql -X -At -d postgres -c "SELECT string_agg(name, ' ') FROM pg_available_extensions") "

# The runnable blocks of a markdown file as one psql script: before block k an \echo of a marker
# "docs block k (line L)", so the output tells which block failed. Writes the script to $2 and
# prints "blocks fragments".
extract() {
    awk -v out="$2" -v available="$available" '
        BEGIN { inblock = 0; n = 0; frag = 0; skip = 0 }
        !inblock && /^[ \t]*```/ {
            fence = $0; sub(/```.*/, "", fence); indent = length(fence)
            info = $0; sub(/^[ \t]*```/, "", info); gsub(/[ \t]+$/, "", info)
            if (info == "sql") { inblock = 1; n++; printf "\\echo docs block %d (line %d)\n", n, NR > out; next }
            if (info ~ /^sql[ \t]+requires=[a-z0-9_]+$/) {
                ext = info; sub(/^sql[ \t]+requires=/, "", ext)
                if (index(available, " " ext " ") > 0) { inblock = 1; n++; printf "\\echo docs block %d (line %d)\n", n, NR > out; next }
                skip++
            }
            if (info ~ /^sql[ \t]+fragment$/) { frag++ }
            inblock = 2; next
        }
        inblock && /^[ \t]*```[ \t]*$/ { inblock = 0; next }
        inblock == 1 { line = $0; if (indent > 0) line = substr(line, indent + 1); print line > out }
        END { printf "%d %d %d\n", n, frag, skip }
    ' "$1"
}

for file in "${files[@]}"; do
    name=$(basename "$(dirname "$file")")_$(basename "$file" .md)
    name=docs_$(echo "$name" | tr -c 'a-zA-Z0-9_\n' '_' | tr 'A-Z' 'a-z')
    script=$log/$name.sql
    : >"$script"
    read -r blocks frags skips < <(extract "$file" "$script")
    fragments=$((fragments + frags)); skipped=$((skipped + skips))
    if [ "$blocks" -eq 0 ]; then
        printf '%-28s no sql blocks, %d fragment(s)\n' "$file" "$frags"
        continue
    fi
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >"$log/$name.out" 2>&1
    if [ "$file" != README.md ]; then
        psql -X -q -d "$name" -c 'CREATE EXTENSION pg_actions' >>"$log/$name.out" 2>&1
    fi
    if psql -X -v ON_ERROR_STOP=1 -d "$name" -f "$script" >>"$log/$name.out" 2>&1; then
        passed=$((passed + blocks))
        printf '%-28s %3d block(s) ran, %d fragment(s)\n' "$file" "$blocks" "$frags"
    else
        at=$(grep -Eo '^docs block [0-9]+ \(line [0-9]+\)' "$log/$name.out" | tail -1)
        k=$(echo "$at" | awk '{print $3}'); k=${k:-1}
        passed=$((passed + k - 1)); failed=$((failed + blocks - k + 1))
        printf '%-28s FAILED at %s of %d; output: %s\n' "$file" "${at:-its start}" "$blocks" "$log/$name.out"
        grep -E 'ERROR|FATAL|psql:' "$log/$name.out" | head -5 | sed 's/^/    /'
    fi
done
echo "docs: $passed passed, $failed failed, $fragments fragments, $skipped skipped"
[ "$failed" -eq 0 ]
