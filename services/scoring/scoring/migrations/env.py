from minhbach.db.migrations import run_env
from scoring.db import metadata

run_env(metadata)
