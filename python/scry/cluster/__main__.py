"""python3 -m scry.cluster: the command line of scry.cluster (docs/DISTRIBUTED.md)."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
