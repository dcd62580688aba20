import sys

from engage_desktop.cli import main

sys.exit(main())
