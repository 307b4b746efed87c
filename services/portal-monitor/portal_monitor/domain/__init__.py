"""Pure domain logic of portal-monitor: no I/O, table-tested."""
