"""playbook-builder: Operating Manuals and Quality Agreements from modular YAML content."""

__version__ = "0.1.0"
