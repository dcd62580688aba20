"""Importing files officers already hold: Meta Business Suite metric and post exports,
classic Page Insights exports, hand-kept spreadsheets and this program's own data export.

``Importer(store, paths, options).preview()`` reads and checks everything and writes nothing;
``commit()`` then writes it in one transaction.
"""

from engage_desktop.core.importing.dates import Order
from engage_desktop.core.importing.importer import ImportBlockedError, Importer
from engage_desktop.core.importing.preview import FileReport, ImportOptions, PagePlan, Preview
from engage_desktop.core.importing.progress import ImportCancelledError, ImportProgress
from engage_desktop.core.importing.tables import ImportFileError

__all__ = ["FileReport", "ImportBlockedError", "ImportCancelledError", "ImportFileError",
           "ImportOptions", "ImportProgress", "Importer", "Order", "PagePlan", "Preview"]
