-- pg_actions upgrade script 0.2 -> 0.3 (ALTER EXTENSION pg_actions UPDATE TO '0.3').
-- Frozen once 0.3 is released; a later schema change adds pg_actions--0.3--0.4.sql instead.
-- test/tap/008_upgrade.pl checks that 0.2 (and 0.1, through 0.2) + this script equals a fresh install of 0.3.

\echo Use "ALTER EXTENSION pg_actions UPDATE" to load this file. \quit
