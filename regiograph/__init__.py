"""RegioGraph: a knowledge graph of Dutch regional governance, read from parliamentary letters."""

__version__ = "0.1.0"
