"""The read-only HTTP query layer over the graph store (FastAPI)."""
