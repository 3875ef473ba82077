"""`python -m dashboard ...`: the publisher's commands."""
import signal
import sys

from dashboard.cli import main

# Piping the report into `head` must end quietly, not with a BrokenPipeError traceback.
if hasattr(signal, "SIGPIPE"):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
sys.exit(main())
