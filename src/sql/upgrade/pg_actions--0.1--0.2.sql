-- pg_actions upgrade script 0.1 -> 0.2 (ALTER EXTENSION pg_actions UPDATE TO '0.2').
-- Frozen once 0.2 is released; a later schema change adds pg_actions--0.2--0.3.sql instead.
-- test/tap/008_upgrade.pl checks that 0.1 + this script equals a fresh install of 0.2.

\echo Use "ALTER EXTENSION pg_actions UPDATE" to load this file. \quit
