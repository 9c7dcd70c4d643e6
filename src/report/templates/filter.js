// Filters the findings table by area, school, severity and text. No
// network, no library: the report must work offline.
(function () {
  // Print every chart and list, not only the ones opened on screen.
  window.addEventListener('beforeprint', function () {
    var ds = document.querySelectorAll('details');
    for (var i = 0; i < ds.length; i++) ds[i].open = true;
  });
  var table = document.getElementById('findings');
  if (!table) return;
  var area = document.getElementById('f-area');
  var unit = document.getElementById('f-unit');
  var sev = document.getElementById('f-sev');
  var q = document.getElementById('f-q');
  function apply() {
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], d = r.dataset;
      var ok = (!area.value || d.area === area.value) &&
               (!unit.value || d.unit === unit.value) &&
               (!sev.value || d.sev === sev.value) &&
               (!q.value || r.textContent.indexOf(q.value) >= 0);
      r.style.display = ok ? '' : 'none';
      if (ok) shown++;
    }
    var c = document.getElementById('f-count');
    if (c) c.textContent = shown;
  }
  [area, unit, sev, q].forEach(function (e) { if (e) e.addEventListener('input', apply); });
})();
