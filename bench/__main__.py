"""`python -m bench` (what `make bench` runs): the whole benchmark, see bench/suite.py."""
import sys

from bench.suite import main

sys.exit(main())
