"""``python -m sklike`` is the ``sklike`` command."""

import sys

from .cli import main

sys.exit(main())
