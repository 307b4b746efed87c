"""Intake's SQL, all of it, on asyncpg (decision 0023: the one database stack of intake): each
function takes the connection of the service function's unit of work (`minhbach.db.pg`) and
returns rows, ids or the database's verdict; none builds an event.

- `filing`: a first report, an amendment, a piece of evidence;
- `idempotency`: the answers stored under an Idempotency-Key;
- `reads`: what the GET pages and the form's pre-fill read.

The table and column names are those of `intake.db` (its SQLAlchemy tables are the schema that
migrations create, not a way to query).
"""
