"""What marks a database as this program's, and the migrations this version knows.

Kept apart from :mod:`.schema` (which needs sqlite-utils) so that opening an up-to-date
database, the common case and the window's start-up path, does not import it.
"""

MIGRATION_SET = "engage_desktop"
# PRAGMA application_id: marks the file as ours ("Enga" in ASCII), so foreign SQLite files are
# recognised and left alone.
APPLICATION_ID = 0x456E6761
# In order; tests check that this matches the migrations registered in schema.py.
MIGRATIONS = ("0001_initial", "0002_token_problem", "0003_insights_coverage",
              "0004_insights_source", "0005_alerts", "0006_thresholds_shape",
              "0007_one_word_per_idea")
