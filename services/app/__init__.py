"""The composition root: the `triage` commands, the stage declarations, and what wires them to the core.

The one package that knows every service; the services and the core know nothing of it.
"""
