"""Tools for development and tests, never part of a deployment: the local stack that `make run`
starts, a local SMTP sink and a simulator of district and commune portals."""
