"""Run every test tier in one pytest session (`make test`).

The exit code is pytest's own: "no tests collected" (5) is a failure like any other, so a moved
test folder or a wrong path can never give a green run.
"""
from __future__ import annotations

import sys

import pytest


def main(argv: list[str]) -> int:
    return int(pytest.main(["tests", *argv]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
