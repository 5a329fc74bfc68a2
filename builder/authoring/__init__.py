"""Authoring commands that write content files: ``playbook new`` (and the YAML writing they share)."""
