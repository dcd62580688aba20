import sys

try:
    from engage_desktop.cli import main
except KeyboardInterrupt:  # Ctrl+C while the program was still loading
    sys.exit(130)

sys.exit(main())
