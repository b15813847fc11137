"""The graph: typed models, stores (Neo4j, in-memory), RDF export, visualisation and analysis."""
