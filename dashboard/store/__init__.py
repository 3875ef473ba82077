"""A data root on disk: which release is current, publishing into it atomically, following it."""
