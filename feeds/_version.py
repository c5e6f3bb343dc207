"""The version, in a module of its own: what needs it imports nothing else of feeds."""

__version__ = "0.1.0"
