"""The import dialog (``ImportDialog``): a preview of what importing files would change, the
answers the importer needs, and the Import button. Its parts:

- ``dialog``: the dialog, built from the parts below, showing what its jobs say;
- ``jobs``: its preview and import jobs on its own runner (no widget), each on its own
  connection to the database (``ImportSession``, plain Python for the jobs' threads);
- ``answers``: the "Answers for the importer" box (``AnswersBox``, ``DayEdit``);
- ``file_tab``: a file's tab (its details and first rows); ``columns``: its column choices;
- ``banner``: the questions and error banners; ``report``: the preview in words (no Qt).
"""

from engage_desktop.ui.import_dialog.dialog import ImportDialog
from engage_desktop.ui.import_dialog.jobs import IMPORTING, PREVIEWING

__all__ = ["IMPORTING", "PREVIEWING", "ImportDialog"]
