"""Publishing into a data root: validate, copy, build the light edition, switch the pointer; the default releases."""
