"""The event catalogue. Import models from `minhbach.events.catalogue`."""
