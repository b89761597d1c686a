// Choosing a free slot in a resource calendar: click, drag, or the keyboard.
//
// Markup (booking/web/templates/web/_calendar.html): a table.cal-grid inside #calendar
// with data-book-url; each free, bookable cell holds a button.slot-btn carrying
// data-start / data-end (ISO instants), data-row and data-col.
//
// - Click (or tap) a free cell: the booking form opens for that slot.
// - Drag down or up a day column: the form opens for the whole run of free cells.
// - Keyboard: arrow keys move between free cells, Shift+Up/Down extends the choice
//   within a day, Enter or Space opens the booking form, Escape clears the choice.
(function () {
  "use strict";

  var anchor = null;   // the button where the selection started
  var current = null;  // the button where it ends
  var dragging = false;

  function grid(el) { return el.closest(".cal-grid"); }
  function pos(btn) { return { row: +btn.dataset.row, col: +btn.dataset.col }; }
  function at(table, row, col) {
    return table.querySelector('.slot-btn[data-row="' + row + '"][data-col="' + col + '"]');
  }

  // The contiguous run of free cells between anchor and end in the anchor's column.
  function run(a, b) {
    var table = grid(a), pa = pos(a), pb = pos(b);
    if (!table || pa.col !== pb.col) return [a];
    var step = pb.row >= pa.row ? 1 : -1, cells = [a];
    for (var r = pa.row + step; step > 0 ? r <= pb.row : r >= pb.row; r += step) {
      var btn = at(table, r, pa.col);
      if (!btn) break;
      cells.push(btn);
    }
    return cells;
  }

  function clear() {
    document.querySelectorAll(".slot-btn[aria-pressed=true]").forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
    });
  }

  function mark(a, b) {
    clear();
    var cells = run(a, b);
    cells.forEach(function (btn) { btn.setAttribute("aria-pressed", "true"); });
    return cells;
  }

  function open(a, b) {
    var cells = mark(a, b);
    var times = cells.map(function (c) { return [c.dataset.start, c.dataset.end]; });
    times.sort(function (x, y) { return Date.parse(x[0]) - Date.parse(y[0]); });
    var cal = a.closest("#calendar");
    var params = new URLSearchParams({ start: times[0][0], end: times[times.length - 1][1] });
    var quantity = document.getElementById("cal-quantity");
    if (quantity && quantity.value) params.set("quantity", quantity.value);
    var url = cal.dataset.bookUrl + "?" + params.toString();
    if (window.htmx) {
      window.htmx.ajax("GET", url, { target: "#booking-panel", swap: "innerHTML" }).then(function () {
        var panel = document.getElementById("booking-panel");
        if (panel) panel.scrollIntoView({ block: "nearest" });
      });
    } else {
      window.location.href = url;
    }
    anchor = current = null;
  }

  document.addEventListener("pointerdown", function (evt) {
    var btn = evt.target.closest && evt.target.closest(".slot-btn");
    if (!btn || evt.button !== 0) return;
    anchor = current = btn;
    dragging = true;
    mark(anchor, current);
    if (evt.pointerType === "mouse") evt.preventDefault(); // no text selection while dragging
    btn.focus();
  });

  document.addEventListener("pointermove", function (evt) {
    if (!dragging || !anchor) return;
    var el = document.elementFromPoint(evt.clientX, evt.clientY);
    var btn = el && el.closest && el.closest(".slot-btn");
    if (btn && btn !== current && grid(btn) === grid(anchor)) {
      current = btn;
      mark(anchor, current);
    }
  });

  document.addEventListener("pointerup", function () {
    if (!dragging || !anchor) return;
    dragging = false;
    open(anchor, current || anchor);
  });

  document.addEventListener("pointercancel", function () {
    // A touch that turned into scrolling: keep the tapped cell chosen, open nothing.
    dragging = false;
  });

  // Keyboard activation arrives as a click with detail 0; pointer clicks were handled above.
  document.addEventListener("click", function (evt) {
    var btn = evt.target.closest && evt.target.closest(".slot-btn");
    if (!btn || evt.detail !== 0) return;
    open(anchor && grid(anchor) === grid(btn) ? anchor : btn, btn);
  });

  function nearest(table, row, col, dRow, dCol) {
    var rows = table.querySelectorAll("tbody tr").length;
    var cols = table.querySelectorAll("thead th").length - 1;
    for (var r = row + dRow, c = col + dCol; r >= 0 && r < rows && c >= 0 && c < cols;
         r += dRow, c += dCol) {
      var btn = at(table, r, c);
      if (btn) return btn;
    }
    return null;
  }

  document.addEventListener("keydown", function (evt) {
    var btn = evt.target.closest && evt.target.closest(".slot-btn");
    if (!btn) return;
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (evt.key === "Escape") {
      anchor = current = null;
      clear();
      return;
    }
    var move = moves[evt.key];
    if (!move) return;
    evt.preventDefault();
    var p = pos(btn);
    var next = nearest(grid(btn), p.row, p.col, move[0], move[1]);
    if (!next) return;
    if (evt.shiftKey && move[1] === 0) {
      anchor = anchor || btn;
      current = next;
      mark(anchor, current);
    } else {
      anchor = current = null;
      clear();
    }
    next.focus();
  });

  // Roving focus: only one cell of the grid is in the tab order at a time.
  document.addEventListener("focusin", function (evt) {
    var btn = evt.target.closest && evt.target.closest(".slot-btn");
    if (!btn) return;
    grid(btn).querySelectorAll(".slot-btn").forEach(function (b) {
      b.tabIndex = b === btn ? 0 : -1;
    });
  });
})();
