"""Command groups of the `regiograph` CLI."""
