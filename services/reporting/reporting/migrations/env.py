from minhbach.db.migrations import run_env
from reporting.db import metadata

run_env(metadata)
