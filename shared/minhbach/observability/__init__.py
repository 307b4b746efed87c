"""Logs, metrics and health endpoints shared by every service."""
