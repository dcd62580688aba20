"""Settings: the traffic light's thresholds (with a live count of what they would give) and
when a sync raises an alert, how Meta is reached (proxy, extra CA certificate, Graph API
version, Test connection), and the daily sync (on opening, or scheduled by the operating
system)."""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QTextOption
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core import alerts, engagement
from engage_desktop.core.engagement import Mode, Status, Thresholds
from engage_desktop.core.errors import EngageError
from engage_desktop.core.graph import DEFAULT_GRAPH_URL, GRAPH_URL_ENV
from engage_desktop.core.net import NetworkSettings, tls_context
from engage_desktop.core.services import (
    check_connection,
    network_settings,
    save_network_settings,
)
from engage_desktop.core.settings import GRAPH_URL
from engage_desktop.core.store import Store
from engage_desktop.core.traffic_light import TrafficLight
from engage_desktop.ui import fitting, plain, preferences
from engage_desktop.ui.errors_shown import error_details, error_words
from engage_desktop.ui.operations import Operation, OperationQueue
from engage_desktop.ui.system_proxy import system_proxy_for
from engage_desktop.ui.words import in_window

_VERSION = re.compile(r"v\d{1,3}\.\d{1,2}")
_INVALID = "border: 2px solid #b3261e;"  # with a message beside it: never colour alone


class SettingsDialog(QDialog):
    def __init__(self, store: Store, light: TrafficLight | None, runner: OperationQueue,
                 window_settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.store = store
        self.light = light
        self.runner = runner
        self.window_settings = window_settings
        self.resize(720, 540)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings")
        # what officers set up front; what IT may need to set last
        self.tabs.addTab(self._traffic_light_tab(), "&Traffic light")
        self.tabs.addTab(self._sync_tab(), "&Daily sync")
        self.advanced_tab = self.tabs.addTab(self._network_tab(), "Ad&vanced (for IT)")
        self.tabs.setTabToolTip(self.advanced_tab, "The proxy, an extra certificate and the "
                                "Graph API version: only if IT asks you to change them")
        self.problem = plain.label()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("What needs correcting")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        if store.read_only is not None:
            # the thresholds and the network are kept in the database: shown, not changed
            for index in (0, self.advanced_tab):
                self.tabs.widget(index).setEnabled(False)
                self.tabs.setTabToolTip(index, "Kept in the database, which is read-only")
            self.problem.setText(
                "The traffic light and the network settings are kept in the database, which "
                f"cannot be changed: {in_window(store.read_only.reason)}. "
                f"{in_window(store.read_only.hint)}")
        fitting.fit_dialog(self)
        self._preview()

    # The traffic light -------------------------------------------------------------------

    def _traffic_light_tab(self) -> QWidget:
        current = self.store.thresholds()
        page = QWidget()
        form = QFormLayout(page)
        self.amber = QDoubleSpinBox()
        self.green = QDoubleSpinBox()
        for box, value, name in ((self.amber, current.amber, "Amber from"),
                                 (self.green, current.green, "Green from")):
            box.setRange(0, 1000)
            box.setDecimals(1)
            box.setSuffix(" per 1,000")
            box.setValue(value)
            box.setAccessibleName(name)
            box.valueChanged.connect(self._preview)
        self.mode = QComboBox()
        self.mode.addItem("Absolute: the thresholds above", Mode.ABSOLUTE)
        self.mode.addItem("Relative: against the other Pages (quarters)", Mode.RELATIVE)
        self.mode.setCurrentIndex(self.mode.findData(current.mode))
        self.mode.setAccessibleName("How Pages are rated")
        self.mode.currentIndexChanged.connect(self._preview)
        self.preview = plain.label()
        self.preview.setAccessibleName("What these thresholds would give")
        self.preview.setWordWrap(True)
        form.addRow(QLabel("Red below the amber threshold; the rate is people talking about "
                           "a Page per 1,000 followers."))
        for label, widget in (("&Amber from:", self.amber), ("&Green from:", self.green),
                              ("&Rating:", self.mode)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        form.addRow(self.preview)
        self._alert_rows(form)
        return page

    def _alert_rows(self, form: QFormLayout) -> None:
        """When a sync raises an alert: the week-on-week fall and the days without figures."""
        current = alerts.thresholds(self.store)
        self.fall_percent = QSpinBox()
        self.fall_percent.setRange(1, 100)
        self.fall_percent.setSuffix(" % or more of the per 1,000")
        self.fall_percent.setValue(round(current.fall_percent))
        self.fall_percent.setAccessibleName("Alert when per 1,000 falls week on week by")
        self.stale_days = QSpinBox()
        self.stale_days.setRange(1, 365)
        self.stale_days.setPrefix("more than ")
        self.stale_days.setSuffix(" days")
        self.stale_days.setValue(current.stale_days)
        self.stale_days.setAccessibleName("Alert when a Page has no new figures for more than")
        heading = QLabel("Alerts after each sync also say when a Page turned red or green "
                         "again, gained followers while fewer talk about it, needs "
                         "reconnecting, or was delayed by Meta.")
        heading.setWordWrap(True)
        form.addRow(heading)
        for label, widget in (("Alert on a &fall week on week of:", self.fall_percent),
                              ("Alert wit&hout new figures for:", self.stale_days)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)

    def alert_thresholds(self) -> alerts.AlertThresholds:
        return alerts.AlertThresholds(fall_percent=self.fall_percent.value(),
                                      stale_days=self.stale_days.value())

    def thresholds(self) -> Thresholds:
        """The thresholds as entered (raises EngageError when they cannot be used)."""
        return Thresholds(amber=self.amber.value(), green=self.green.value(),
                          mode=self.mode.currentData())

    def _preview(self) -> None:
        for box in (self.amber, self.green):
            box.setStyleSheet("")
        try:
            thresholds = self.thresholds()
        except EngageError as error:
            for box in (self.amber, self.green):
                box.setStyleSheet(_INVALID)
            self.preview.setText(error_words(error, "Cannot use these:"))
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            return
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        rows = self.light.rows if self.light else []
        rated = [row.assessment.per_1000 if row.status is not Status.NO_DATA else None
                 for row in rows]
        if thresholds.mode is Mode.RELATIVE:
            statuses = engagement.classify_relative(rated)
        else:
            statuses = [Status.NO_DATA if value is None else
                        engagement.classify(value, thresholds) for value in rated]
        counts = Counter(statuses)
        words = " · ".join(f"{status.shape} {counts[status]} {status.word.lower()}"
                           for status in Status)
        self.preview.setText(f"With these settings your {len(rows)} Pages would be: {words}")

    # Network -----------------------------------------------------------------------------

    def _network_tab(self) -> QWidget:
        current = network_settings(self.store)
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel("Most computers need nothing here. Change these only if IT asks you "
                       "to, or if Test connection says the proxy or a certificate is the "
                       "problem.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.proxy_choice = QButtonGroup(self)
        choices = QHBoxLayout()
        self.proxy_buttons = {}
        for mode, text in (("system", "&System settings (as the web browser)"),
                           ("none", "N&o proxy"), ("manual", "&Manual:")):
            button = QRadioButton(text)
            button.setAccessibleName(f"Proxy: {text.replace('&', '')}")
            self.proxy_choice.addButton(button)
            self.proxy_buttons[mode] = button
            choices.addWidget(button)
        self.proxy_buttons[current.proxy_mode].setChecked(True)
        self.proxy_url = QLineEdit(current.proxy_url or "")
        self.proxy_url.setPlaceholderText("http://proxy.council.gov.uk:8080")
        self.proxy_url.setAccessibleName("Manual proxy address")
        choices.addWidget(self.proxy_url, 1)
        self.proxy_choice.buttonToggled.connect(self._proxy_mode_changed)
        self.ca_file = QLineEdit(current.extra_ca_file or "")
        self.ca_file.setPlaceholderText("Only if IT inspects web traffic: their root "
                                        "certificate (.pem)")
        self.ca_file.setAccessibleName("Extra CA certificate file")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose the CA certificate file")
        browse.clicked.connect(self._choose_ca_file)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(browse)
        self.version = QLineEdit(self._version())
        self.version.setAccessibleName("Graph API version")
        self.version.setToolTip("Meta retires each version about two years after it comes "
                                "out; Engage Desktop names the newest it was tested with.")
        from_environment = bool(os.environ.get(GRAPH_URL_ENV))
        self.version.setEnabled(not from_environment)
        form = QFormLayout()
        proxy_label = QLabel("Proxy:")
        form.addRow(proxy_label, choices)
        ca_label = QLabel("E&xtra CA certificate:")
        ca_label.setBuddy(self.ca_file)
        form.addRow(ca_label, ca_row)
        version_label = QLabel("Graph API v&ersion:")
        version_label.setBuddy(self.version)
        form.addRow(version_label, self.version)
        layout.addLayout(form)
        self.test_button = QPushButton("Test co&nnection")
        self.test_button.setAccessibleName("Test the connection to Meta")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = plain.label("Checks the network, the proxy and TLS, without a token.")
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName("Connection test result")
        # the technical detail (Python's and the server's words), to select or copy for IT
        details_label = QLabel("Technical details for &IT:")
        self.diagnosis = QPlainTextEdit()
        self.diagnosis.setReadOnly(True)
        self.diagnosis.setAccessibleName("Technical details for IT")
        self.diagnosis.setAccessibleDescription("What the connection test did and what it "
                                                "got, to copy for IT")
        self.diagnosis.setPlaceholderText("Filled in by Test connection")
        self.diagnosis.setMaximumHeight(110)
        details_label.setBuddy(self.diagnosis)
        copy = QPushButton("&Copy diagnosis")
        copy.setAccessibleName("Copy the diagnosis for IT")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(
            self.diagnosis.toPlainText()))
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.test_result, 1)
        layout.addLayout(row)
        layout.addWidget(details_label)
        layout.addWidget(self.diagnosis)
        copy_row = QHBoxLayout()
        copy_row.addWidget(copy)
        copy_row.addStretch(1)
        layout.addLayout(copy_row)
        layout.addStretch(1)
        self._proxy_mode_changed()
        return page

    def _version(self) -> str:
        configured = self.store.settings.get(GRAPH_URL) or DEFAULT_GRAPH_URL
        return configured.rstrip("/").rsplit("/", 1)[-1]

    def _proxy_mode_changed(self, *_) -> None:
        self.proxy_url.setEnabled(self.proxy_mode() == "manual")

    def proxy_mode(self) -> str:
        return next(mode for mode, button in self.proxy_buttons.items() if button.isChecked())

    def _choose_ca_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Extra CA certificate", "",
                                              "Certificates (*.pem *.crt *.cer);;All files (*)")
        if name:
            self.ca_file.setText(name)

    def network(self) -> NetworkSettings:
        """The network settings as entered (raises EngageError, naming the field's problem;
        the field is marked)."""
        for field in (self.proxy_url, self.ca_file, self.version):
            field.setStyleSheet("")
        url = self.proxy_url.text().strip()
        if self.proxy_mode() == "manual" and url and "://" not in url:
            self.proxy_url.setStyleSheet(_INVALID)
            raise EngageError(f"The proxy address {url!r} has no scheme.",
                              f"Write it as http://{url}.")
        try:
            settings = NetworkSettings(proxy_mode=self.proxy_mode(),
                                       proxy_url=url or None,
                                       extra_ca_file=self.ca_file.text().strip() or None)
        except EngageError:
            self.proxy_url.setStyleSheet(_INVALID)
            raise
        if settings.extra_ca_file:
            try:
                _check_pem(settings.extra_ca_file)
                tls_context(settings.extra_ca_file)
            except EngageError:
                self.ca_file.setStyleSheet(_INVALID)
                raise
        if self.version.isEnabled() and not _VERSION.fullmatch(self.version.text().strip()):
            self.version.setStyleSheet(_INVALID)
            raise EngageError(f"{self.version.text()!r} is not a Graph API version.",
                              "Write it as Meta does, such as v27.0.")
        return settings

    def test_connection(self) -> None:
        """Reach Meta once with the settings as entered (in the background)."""
        try:
            settings = self.network()
        except EngageError as error:
            self._show_problem(error)
            return
        self._show_problem(None)
        base = self._base_url()

        def work(report, cancel):
            # on its worker thread: resolving the system proxy may fetch a PAC script
            proxy = system_proxy_for(base) if settings.proxy_mode == "system" else None
            return check_connection(settings, base, proxy)

        self.test_button.setEnabled(False)
        self.test_result.setText("Testing…")
        # methods of the dialog, so nothing is called on it once it has been closed
        (Operation("connection test", work, parent=self, then="test the connection")
         .waits(self.test_result.setText).success(self._tested).failure(self._test_failed)
         .ends(self._test_ended).run(self.runner))

    def _base_url(self) -> str:
        from engage_desktop.core.graph import graph_base_url

        if not self.version.isEnabled():
            return graph_base_url(None)
        return f"https://graph.facebook.com/{self.version.text().strip()}"

    def _test_failed(self, error: Exception) -> None:
        self.test_result.setText(error_words(error, "✖ The test could not run:")
                                 + " Copy the technical details for IT.")
        self.diagnosis.setPlainText(error_details(error))

    def _test_ended(self) -> None:
        self.test_button.setEnabled(True)

    def _tested(self, check) -> None:
        mark = "✔ Works:" if check.ok else "✖ Does not work:"
        self.test_result.setText(f"{mark} {check.summary} {check.hint}")
        self.diagnosis.setPlainText(check.diagnosis)

    # Daily sync --------------------------------------------------------------------------

    def _sync_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.sync_on_open = QCheckBox("&Sync when Engage Desktop opens, if the last sync is "
                                      "more than 20 hours old")
        self.sync_on_open.setChecked(preferences.SYNC_ON_OPEN.get(self.window_settings))
        layout.addWidget(self.sync_on_open)
        schedule = QLabel("Or let the computer sync every morning, even when Engage Desktop "
                          "is closed: copy the command for your computer and paste it where "
                          "it says. No administrator rights are needed: the task runs as you.")
        schedule.setWordWrap(True)
        layout.addWidget(schedule)
        self.schedule_commands: list[QPlainTextEdit] = []
        for title, command, key in (("Windows (Task Scheduler), in a Command Prompt:",
                                     windows_schedule(self.store.path), "&Windows"),
                                    ("Linux or macOS (cron), a line for 'crontab -e':",
                                     cron_line(self.store.path), "&Linux or macOS")):
            label = QLabel(title)
            # shown whole, wrapped (a one-line field would show only its tail)
            text = QPlainTextEdit(command)
            text.setReadOnly(True)
            text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            text.setTabChangesFocus(True)
            text.setAccessibleName(title.rstrip(":"))
            text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 4 + 12)
            text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            label.setBuddy(text)
            copy = QPushButton(f"Copy for {key}")
            copy.setAccessibleName(f"Copy: {title.rstrip(':')}")
            copy.clicked.connect(lambda _=False, c=command:
                                 QGuiApplication.clipboard().setText(c))
            row = QHBoxLayout()
            row.addWidget(text, 1)
            row.addWidget(copy, 0, Qt.AlignmentFlag.AlignTop)
            layout.addWidget(label)
            layout.addLayout(row)
            self.schedule_commands.append(text)
        layout.addStretch(1)
        return page

    # Saving ------------------------------------------------------------------------------

    def _show_problem(self, error: EngageError | None) -> None:
        self.problem.setText("" if error is None else
                             error_words(error, "Needs correcting:"))

    def save(self) -> None:
        if self.store.read_only is not None:  # only this window's own settings
            preferences.SYNC_ON_OPEN.set(self.window_settings, self.sync_on_open.isChecked())
            self.accept()
            return
        try:
            thresholds = self.thresholds()
            network = self.network()
        except EngageError as error:
            self._show_problem(error)
            return
        self.store.set_thresholds(thresholds)
        alerts.set_thresholds(self.store, self.alert_thresholds())
        save_network_settings(self.store, network)
        if self.version.isEnabled() and self.version.text().strip() != self._version():
            self.store.settings.set(GRAPH_URL, "https://graph.facebook.com/"
                                    + self.version.text().strip())
        preferences.SYNC_ON_OPEN.set(self.window_settings, self.sync_on_open.isChecked())
        self.accept()


def _check_pem(path: str) -> None:
    try:
        head = Path(path).read_bytes()[:65536]
    except OSError as exc:
        raise EngageError(f"The CA certificate file cannot be read ({exc.strerror or exc}).",
                          "Choose the .pem file IT gave you.") from None
    if b"-----BEGIN CERTIFICATE-----" not in head:
        raise EngageError("That file is not a PEM certificate.",
                          "Choose a file whose text starts with -----BEGIN CERTIFICATE----- "
                          "(ask IT for the PEM version).")


def _program(db: Path) -> list[str]:
    """How this program is started, with the database: the built program, or Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "sync", "--db", str(db)]
    return [sys.executable, "-m", "engage_desktop", "sync", "--db", str(db)]


def windows_schedule(db: Path) -> str:
    # inside /TR "...", the program and the database are quoted as \"...\"
    run = " ".join(part if part.isidentifier() or part.startswith("-") else f'\\"{part}\\"'
                   for part in _program(db))
    return (f'schtasks /Create /SC DAILY /ST 07:30 /TN "Engage Desktop daily sync" '
            f'/TR "{run}"')


def cron_line(db: Path) -> str:
    """A crontab line for the daily sync. Cron jobs have no desktop session, so on Linux the
    line names the logged-in user's D-Bus (where the Secret Service keyring lives); a '%'
    would end cron's command, so it is escaped."""
    command = " ".join(shlex.quote(part) for part in _program(db)).replace("%", "\\%")
    if sys.platform.startswith("linux") and hasattr(os, "getuid"):
        command = (f"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{os.getuid()}/bus "
                   + command)
    return "30 7 * * * " + command
