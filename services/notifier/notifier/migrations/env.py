from minhbach.db.migrations import run_env
from notifier.db import metadata

run_env(metadata)
