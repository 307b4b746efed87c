"""The event catalogue. Import models from `minhbach.events.catalogue` (a package: a module
per producer)."""
