// The vocabularies of the actions list (core/listing.hpp) for SQL: actions.list_vocabulary(name)
// returns the allowed values of a filter or sort, so src/sql/47_list.sql never spells an
// enumeration again (its checks, hints and rank orders read them from here).
#include "pg/boundary/postgres.hpp"

#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/listing.hpp"
#include "pg/authz/args.hpp"
#include "pg/boundary/boundary.hpp"
#include "pg/boundary/spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_list_vocabulary);
Datum pg_actions_list_vocabulary(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::optional<std::string> name = arg_text(fcinfo, 0);
        std::optional<std::vector<std::string_view>> values = core::list_vocabulary(name ? *name : "");
        if (!values)
            throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "unknown vocabulary \"" + name.value_or("") + "\"", "",
                          "use " + core::listed({"status", "priority", "open", "sort", "direction"}));
        std::vector<Datum> texts;
        for (std::string_view v : *values) texts.push_back(text_datum(std::string(v)));
        const Datum* data = texts.data();
        int n = static_cast<int>(texts.size());
        return guard([&]() -> Datum {
            return PointerGetDatum(construct_array(const_cast<Datum*>(data), n, TEXTOID, -1, false, TYPALIGN_INT));
        });
    });
}

}  // extern "C"
