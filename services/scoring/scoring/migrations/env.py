from scoring.db import metadata
from minhbach.db.migrations import run_env

run_env(metadata)
