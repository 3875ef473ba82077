"""The published-results contract: its one definition, and reading, checking, fetching and writing a release."""
