"""The Qt shell: windows, models, charts and dialogs over the core."""
