// actions.enumerated_columns(): every column the schema restricts to a list of names, with the
// core's list for it (core/schema_vocabulary.hpp), so a test compares pg_constraint with the core.
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "funcapi.h"
}

#include <string>
#include <vector>

#include "core/schema_vocabulary.hpp"
#include "pg/boundary/spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

extern "C" {

PG_ACTIONS_FUNCTION(pg_actions_enumerated_columns) {
    guard([&] { InitMaterializedSRF(fcinfo, 0); });
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    for (const core::EnumeratedColumn& c : core::enumerated_columns()) {
        std::vector<std::string> names(c.names.begin(), c.names.end());
        Datum values[3] = {text_datum(std::string(c.table)), text_datum(std::string(c.column)),
                           text_array_datum(names)};
        bool nulls[3] = {false, false, false};
        guard([&] { tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls); });
    }
    return (Datum)0;
}

}  // extern "C"
