"""The ``playbook`` command line; nothing else in the package imports it."""

from builder.cli.main import main

__all__ = ["main"]
