// name: programmes-covering-region
// question: Which programmes cover this region, which letter says so, and was it stated in the sentence or read from its context?
// params: region (e.g. region:twente)
MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'COVERS'})-[:OBJECT]->(:Region {id: $region}),
      (s)-[:SUBJECT]->(p:Programme)
RETURN DISTINCT p.id AS programme, p.name AS programme_name, l.id AS letter, s.quote AS quote,
       s.basis AS basis
ORDER BY programme, letter, quote
