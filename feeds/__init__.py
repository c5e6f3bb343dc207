"""feeds: publish RSS 2.0, Atom 1.0 and JSON Feed 1.1 files from YAML news entries."""

__version__ = "0.1.0"
