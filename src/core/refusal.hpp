// An expected refusal: the core returns it as a value, the glue maps its kind to one SQLSTATE.
#pragma once
#include <string>
#include "pure.hpp"

namespace pg_actions::core {

enum class RefusalKind {
    not_permitted,   // 42501
    invalid_value,   // 22023
    bad_date,        // 22008
    not_found,       // P0002
    wrong_state,     // 55000
};

struct Refusal {
    RefusalKind kind;
    std::string message;  // lowercase, no trailing period
    std::string detail;
    std::string hint;
};

}  // namespace pg_actions::core
