"""Public results dashboard for Vietnam's satisfaction surveys of public services."""

__version__ = "0.1.0"
