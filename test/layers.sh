#!/usr/bin/env bash
# The glue's layers (docs/design.md, "The storage layer"), checked on the source: every SQL
# statement and every table or index access by name (direct::) is in src/pg/store/, and SPI is
# entered only through SpiScope (src/pg/boundary/). One line per check, then "layers: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
passed=0; failed=0
check() {  # name, offending lines (empty: passes)
    if [ -z "$2" ]; then
        echo "ok - $1"; passed=$((passed + 1))
    else
        echo "not ok - $1"; printf '%s\n' "$2" | head -20 | sed 's/^/    /'; failed=$((failed + 1))
    fi
}
src() { grep -rnE "$1" src/pg --include=*.cpp --include=*.hpp; }
# A string literal that starts a statement: "SELECT ...", "INSERT ...", and so on.
check "no SQL statement outside src/pg/store/" \
    "$(src '"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|WITH|LOCK|MERGE|TRUNCATE|COPY) ' | grep -v '^src/pg/store/')"
check "no table or index access by name (direct::) outside src/pg/store/" \
    "$(src 'direct::' | grep -v '^src/pg/store/')"
check "SPI is connected only by SpiScope (src/pg/boundary/)" \
    "$(src '\bSPI_connect(_ext)?\(|\bSPI_finish\(|\bspi_connect\(|\bspi_finish\(' | grep -v '^src/pg/boundary/')"
check "no PostgreSQL header or API in src/core/" \
    "$(grep -rnE '#include [<"](postgres|fmgr|executor|utils/|catalog/|access/)|PG_TRY|ereport\(|elog\(' src/core)"
echo "layers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
