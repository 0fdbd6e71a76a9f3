"""Load benchmark of the running service (written in a later commit)."""
