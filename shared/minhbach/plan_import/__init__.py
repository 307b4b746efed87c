"""Import a plan from the documents an office already has: the signed plan (.docx) and the unit
directory (.xlsx) -> a plan file that validates, with "KIỂM TRA: ..." on every guessed value.

Pure readers (`metadata`, `appendix`, `cells`, `duties`, `units`, `resolve`) over what the
adapters (`docx_reader`, `xlsx`) extract; `schema` alone knows the plan file's fields; `importer`
puts them together. Decision record 0016.
"""

from minhbach.plan_import.errors import ImportFailure

__all__ = ["ImportFailure"]
