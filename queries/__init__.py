"""Curated queries as package data: `<name>.cypher` with its SPARQL twin `<name>.rq` (read by api.curated)."""

from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent
