"""Exports for briefings: data files here (no Qt); chart images and the briefing are drawn by
``engage_desktop.ui.rendering``."""
