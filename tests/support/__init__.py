"""Helpers shared by the test suite (real servers on 127.0.0.1, never mocks)."""
