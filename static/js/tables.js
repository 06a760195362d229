// On a phone, tables stack each row into lines; each cell carries its column's name
// (data-label, shown by the style sheet) so no column name is lost. Runs again after HTMX
// swaps in new rows. Without JavaScript tables keep their ordinary layout.
(function () {
  function label(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var names = Array.prototype.map.call(head.cells, function (cell) {
        return cell.textContent.trim();
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.textContent.trim() && !cell.querySelector("img, svg, input, select, button")) {
              cell.classList.add("blank");
            } else if (names[column] && !cell.hasAttribute("data-label")) {
              cell.setAttribute("data-label", names[column]);
            }
            column += cell.colSpan || 1;
          });
        });
      });
      table.classList.add("stacks");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    label(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    label(event.target.closest("main") || document);
  });
})();
