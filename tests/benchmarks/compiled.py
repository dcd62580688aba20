"""Shared by the start-up benchmarks."""

from __future__ import annotations

from pathlib import Path


def compile_like_an_install() -> None:
    """Compile the program's bytecode first, as an installed program has it (pip compiles on
    install; the built program carries it). Without this, a checkout on a machine that sets
    PYTHONDONTWRITEBYTECODE is compiled from source at every start, which is not what officers
    run."""
    import compileall

    import engage_desktop

    compileall.compile_dir(str(Path(engage_desktop.__file__).parent), quiet=1)
