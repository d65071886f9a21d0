(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(
    container,
    { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) },
    data.options
  );
  window.kgNetwork = network;
  network.once("afterDrawing", function () {
    document.documentElement.setAttribute("data-kg-ready", String(performance.now()));
  });
  var box = document.getElementById("kg-search");
  box.addEventListener("change", function () {
    var q = box.value.trim();
    if (!q) { return; }
    var hit = data.nodes.find(function (n) { return n.label === q; }) ||
      data.nodes.find(function (n) { return String(n.label).indexOf(q) >= 0; });
    box.classList.toggle("kg-miss", !hit);
    if (hit) {
      network.selectNodes([hit.id]);
      network.focus(hit.id, { scale: 1.2, animation: false });
    }
  });
})();
