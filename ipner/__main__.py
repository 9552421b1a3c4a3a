import sys

from ipner.cli import main

sys.exit(main())
