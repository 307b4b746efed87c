from minhbach.db.migrations import run_env
from portal_monitor.db import metadata

run_env(metadata)
