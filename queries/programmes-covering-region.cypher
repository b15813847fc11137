// name: programmes-covering-region
// question: Which programmes cover this region, which letter says so, and was it stated in the sentence or read from its context?
// params: region (e.g. region:twente), as_of (optional, e.g. 2024-12-31)
MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'COVERS'})-[:OBJECT]->(:Region {id: $region}),
      (s)-[:SUBJECT]->(p:Programme)
WHERE ($as_of IS NULL OR s.date <= date($as_of))
RETURN DISTINCT p.id AS programme, p.name AS programme_name, l.id AS letter, s.quote AS quote,
       s.basis AS basis
ORDER BY programme, letter, quote
