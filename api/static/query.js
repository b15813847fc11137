/* The query page: runs Cypher through POST /cypher and SPARQL through POST /sparql, shows the rows
   as a sortable table with a CSV download, links node ids, and shows API errors as the API words them. */
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var byName = {};
  examples.forEach(function (e) { byName[e.name] = e; });
  var $ = function (id) { return document.getElementById(id); };
  var ID = /^(programme|region|province|municipality|woonplaats|ministry|person|party|letter|document|kamerstuk|dossier|motion|commitment|organisation|neighbouringstate):\S+$/;
  var MAPPABLE = {programme: "programma", region: "regio", province: "regio", municipality: "regio", woonplaats: "regio"};
  var current = {columns: [], rows: []};

  function paramInputs(example) {
    var box = $("params");
    box.textContent = "";
    (example ? example.params : []).forEach(function (p) {
      var label = document.createElement("label");
      label.textContent = p.name + " ";
      var input = document.createElement("input");
      input.type = "text"; input.name = p.name; input.value = p.example; input.size = 32;
      input.dataset.param = p.name;
      label.appendChild(input);
      box.appendChild(label);
    });
  }
  function fill() {
    var example = byName[$("example").value];
    if (example) $("query").value = $("language").value === "cypher" ? example.cypher : example.sparql;
    paramInputs(example);
  }
  function params() {
    // an empty field is a parameter left out: null in Cypher, unbound in SPARQL
    var out = {};
    document.querySelectorAll("#params input").forEach(function (i) { out[i.dataset.param] = i.value.trim() || null; });
    return out;
  }
  function sparqlLiteral(value) {
    return '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") + '"';
  }
  function withValues(text, values) {
    var names = Object.keys(values).filter(function (n) {
      if (values[n] === null) return false;
      // a date parameter fills its slots `VALUES ?as_of { UNDEF }`, where the query's filters see it
      var slot = new RegExp("VALUES\\s+\\?" + n + "\\s*\\{\\s*UNDEF\\s*\\}", "g");
      if (!slot.test(text)) return true;
      text = text.replace(slot, "VALUES ?" + n + " { " + sparqlLiteral(values[n]) + "^^<http://www.w3.org/2001/XMLSchema#date> }");
      return false;
    });
    if (!names.length) return text;
    // a trailing VALUES clause binds the parameters (SPARQL 1.1, after the solution modifiers)
    return text + "\nVALUES (" + names.map(function (n) { return "?" + n; }).join(" ") + ") { (" +
      names.map(function (n) { return sparqlLiteral(values[n]); }).join(" ") + ") }\n";
  }
  function showError(status, detail) {
    $("error").textContent = detail;
    $("error").dataset.status = status;
    $("status").textContent = "fout (HTTP " + status + ")";
  }
  function readError(response) {
    return response.text().then(function (body) {
      var detail = body;
      try { var parsed = JSON.parse(body); if (parsed && parsed.detail !== undefined) detail = typeof parsed.detail === "string" ? parsed.detail : JSON.stringify(parsed.detail); } catch (e) { /* not JSON */ }
      showError(response.status, detail);
    });
  }
  function run() {
    var language = $("language").value, text = $("query").value, values = params(), request;
    $("error").textContent = ""; $("result").textContent = ""; $("csv").hidden = true;
    $("status").textContent = "bezig …";
    if (language === "cypher") {
      request = fetch("/cypher", {method: "POST", headers: {"Content-Type": "application/json", "Accept": "application/json"},
                                  body: JSON.stringify({query: text, parameters: values})});
    } else {
      request = fetch("/sparql", {method: "POST",
                                  headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
                                  body: new URLSearchParams({query: withValues(text, values)}).toString()});
    }
    request.then(function (response) {
      if (!response.ok) return readError(response);
      var truncated = response.headers.get("X-RegioGraph-Truncated") === "true";
      return response.json().then(function (data) {
        if (language === "cypher") {
          show(data.columns, data.rows.map(function (r) { return data.columns.map(function (c) { return r[c]; }); }), data.truncated);
        } else if (data.boolean !== undefined) {
          show(["antwoord"], [[data.boolean ? "ja" : "nee"]], false);
        } else {
          var vars = data.head.vars.filter(function (v) { return !(v in values); });
          show(vars, data.results.bindings.map(function (b) { return vars.map(function (v) { return b[v] ? b[v].value : ""; }); }), truncated);
        }
      });
    }).catch(function (err) { showError(0, String(err)); });
  }
  function asText(value) {
    // what a cell says (and what the CSV and sorting use): Neo4j nodes by id, relationships by their ends
    if (value === null || value === undefined) return "";
    if (typeof value !== "object") return String(value);
    if (value.kind === "node") return value.id || (value.properties && value.properties.name) || value.element_id;
    if (value.kind === "relationship") return (value.start || "?") + " " + value.type + " " + (value.end || "?");
    if (value.kind === "path") return (value.nodes || []).map(asText).join(" → ");
    if (Array.isArray(value)) return value.map(asText).join(", ");
    return JSON.stringify(value);
  }
  function idLinks(td, text, match) {
    var a = document.createElement("a");
    a.href = "/entiteit/" + encodeURIComponent(text); a.textContent = text;
    td.appendChild(a);
    var links = document.createElement("span"); links.className = "links";
    var net = document.createElement("a"); net.href = "/viz?focus=" + encodeURIComponent(text); net.textContent = "netwerk";
    links.appendChild(net);
    if (MAPPABLE[match[1]]) {
      var map = document.createElement("a"); map.href = "/map?" + MAPPABLE[match[1]] + "=" + encodeURIComponent(text); map.textContent = "kaart";
      links.appendChild(map);
    }
    td.appendChild(links);
  }
  function cell(value) {
    var td = document.createElement("td");
    var text = asText(value);
    var match = ID.exec(text);
    if (match) {
      idLinks(td, text, match);
      if (value && value.kind === "node" && value.properties && value.properties.name) {
        td.appendChild(document.createTextNode(" " + value.properties.name));
      }
    } else {
      td.textContent = text;
    }
    return td;
  }
  function render() {
    var table = document.createElement("table"), head = document.createElement("tr");
    current.columns.forEach(function (c, i) {
      var th = document.createElement("th");
      th.textContent = c; th.tabIndex = 0; th.dataset.col = i;
      if (current.sort && current.sort.col === i) th.setAttribute("aria-sort", current.sort.dir > 0 ? "ascending" : "descending");
      th.addEventListener("click", function () { sortBy(i); });
      head.appendChild(th);
    });
    var thead = document.createElement("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = document.createElement("tbody");
    current.rows.forEach(function (r) {
      var tr = document.createElement("tr");
      r.forEach(function (v) { tr.appendChild(cell(v)); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    $("result").textContent = ""; $("result").appendChild(table);
  }
  function sortBy(col) {
    var dir = current.sort && current.sort.col === col ? -current.sort.dir : 1;
    current.sort = {col: col, dir: dir};
    current.rows.sort(function (a, b) {
      var x = asText(a[col]), y = asText(b[col]), nx = Number(x), ny = Number(y);
      if (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) return (nx - ny) * dir;
      return String(x).localeCompare(String(y), "nl") * dir;
    });
    render();
  }
  function csvValue(v) {
    var s = asText(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function show(columns, rows, truncated) {
    current = {columns: columns, rows: rows, sort: null};
    render();
    $("status").textContent = rows.length + " rijen" + (truncated ? " (afgekapt: de server geeft er niet meer)" : "");
    var csv = [columns.map(csvValue).join(",")].concat(rows.map(function (r) { return r.map(csvValue).join(","); })).join("\r\n") + "\r\n";
    var link = $("csv");
    link.href = URL.createObjectURL(new Blob([csv], {type: "text/csv;charset=utf-8"}));
    link.hidden = false;
    document.body.dataset.rows = rows.length;
  }
  $("example").addEventListener("change", fill);
  $("language").addEventListener("change", fill);
  $("run").addEventListener("click", run);
  var query = new URLSearchParams(window.location.search);
  if (query.get("taal") === "cypher" || query.get("taal") === "sparql") $("language").value = query.get("taal");
  if (query.get("voorbeeld") && byName[query.get("voorbeeld")]) { $("example").value = query.get("voorbeeld"); }
  fill();
  examples.forEach(function (e) { e.params.forEach(function (p) { if (query.get(p.name)) p.example = query.get(p.name); }); });
  paramInputs(byName[$("example").value]);
  window.regioquery = {run: run};
})();
