"""Extraction pipeline: letters in, a typed graph with evidence out.

Stages, one module each: load -> normalise -> metadata -> recognise -> resolve -> relate
(see ingest/pipeline.py for how they chain).
"""
