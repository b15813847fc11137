// name: programmes-covering-region
// question: Which programmes cover this region, and which letter says so?
// params: region (e.g. region:twente)
MATCH (p:Programme)-[r:COVERS]->(g:Region {id: $region})
UNWIND range(0, size(r.evidence_quote) - 1) AS i
RETURN DISTINCT p.id AS programme, p.name AS programme_name,
       r.evidence_letter[i] AS letter, r.evidence_quote[i] AS quote
ORDER BY programme, letter, quote
