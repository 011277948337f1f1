// The procedure rules where the action verbs run (api/actions.cpp, and so the bulk functions):
// whether a step may start or be completed (read through the index API, so can() and why_not()
// answer it without SQL), and the rescheduling of the later steps after a completion or an
// un-completion (SQL: inside an SpiScope). The decisions are the core's (core/procedure.hpp).
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>

#include "core/permission.hpp"
#include "core/refusal.hpp"
#include "pg/authz/facts.hpp"
#include "pg/store/procedure_store.hpp"

namespace pg_actions::pg {

// What stops `verb` (start or complete) on a procedure step for the actor whose facts `a` holds:
// the previous step still open, or a later step already complete without administer_actions or
// reassign_actions. nullopt: not a step, another verb, or allowed.
std::optional<core::Refusal> step_refusal(const Action& a, core::Verb verb);
// The same for can() and why_not(), whose action was read with the statement's snapshot: in a
// workspace without procedure steps (store::workspace_has_steps, once per statement) no probe.
std::optional<core::Refusal> step_refusal_in_question(const Action& a, core::Verb verb);
// The same when the caller has probed already whether the action is a step (store::step_of_action).
std::optional<core::Refusal> step_refusal(const Action& a, core::Verb verb, const std::optional<store::StepPlace>& place);

// After the step's completion was written: moves the later open steps by the working time it was
// early or late when the workspace's switch says so or an administrator chose to (choice).
// place: the caller's probe of store::step_of_action, made before the completion (a step stays a step).
void after_step_completed(const Action& a, std::optional<bool> choice, const std::optional<store::StepPlace>& place);

// After a completed step was marked not complete: moves the later open steps back by what its
// completion moved them.
void after_step_uncompleted(const Action& a);

}  // namespace pg_actions::pg
