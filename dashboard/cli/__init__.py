"""The `compliance` command line: one sub-command group per area."""
