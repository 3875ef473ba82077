"""`python -m dashboard ...`: the publisher's commands."""
import sys

from dashboard.cli import main

sys.exit(main())
