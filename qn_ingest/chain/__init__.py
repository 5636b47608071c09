"""The Joystream chain, as the deadline reminders read it: the current block and the runtime
constants that say how long each governance stage lasts (qn_ingest/chain/README.md)."""
