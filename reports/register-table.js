/* A large register's engagement table, drawn a page at a time from the JSON embedded in the page
   (riskscreen/render/register_data.py describes its layout): filter by text, tier and status,
   sort by a column, open a row to its findings. Every text goes in through textContent. Without
   JavaScript the report still holds the summary, the rules and the first failing engagements. */
(function () {
  "use strict";
  var app = document.getElementById("register-app");
  var table = document.getElementById("engagement-table");
  if (!app || !table) { return; }
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  var meta = data("register-meta");
  var findings = data("register-findings");
  var rows = data("register-rows");
  var tiers = meta.tiers, rules = meta.rules, labels = meta.labels;
  var ID = 0, TITLE = 1, PARTNER = 2, COUNTRY = 3, TYPE = 4, TIER = 5, STATUS = 6, TOP = 7, DETAIL = 8;
  var STATUS_TEXT = ["Passing", "Failing", "Waived"];
  var PAGE = parseInt(table.getAttribute("data-page-rows"), 10) || 100;
  var body = document.getElementById("engagement-rows");
  var text = document.getElementById("filter-text");
  var tier = document.getElementById("filter-tier");
  var failing = document.getElementById("filter-failing");
  var status = document.getElementById("table-status");
  var number = document.getElementById("page-number");
  var count = document.getElementById("page-count");
  var buttons = {
    first: document.getElementById("page-first"), previous: document.getElementById("page-previous"),
    next: document.getElementById("page-next"), last: document.getElementById("page-last")
  };
  var shown = [];  // indexes of the rows that pass the filter, in the chosen order
  var page = 0;
  var open = {};  // row index -> true while its detail shows
  var haystacks = null;  // lower-case searchable text per row, made at the first text filter
  var sortColumn = -1, ascending = true;

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }
  function tag(index) { return el("strong", "tag tag-" + tiers[index][0], tiers[index][1]); }
  function topTitle(row) { return row[TOP] < 0 ? "No findings" : rules[row[TOP]][1]; }
  function format(n) { return n.toLocaleString("en-GB"); }

  // Sort keys per column, made when a column is first sorted on.
  var keys = {};
  function key(column) {
    if (!keys[column]) {
      keys[column] = rows.map(function (row, i) {
        switch (column) {
          case 0: return i;
          case 1: return row[ID].toLowerCase();
          case 2: return row[TIER];
          case 3: return STATUS_TEXT[row[STATUS]];
          case 4: return row[PARTNER].toLowerCase();
          case 5: return labels[row[COUNTRY]].toLowerCase();
          case 6: return labels[row[TYPE]].toLowerCase();
          default: return topTitle(row).toLowerCase();
        }
      });
    }
    return keys[column];
  }

  function select() {
    var needle = text.value.trim().toLowerCase();
    var wantedTier = tier.value === "" ? -1 : parseInt(tier.value, 10);
    var wantedStatus = failing.value === "" ? -1 : parseInt(failing.value, 10);
    if (needle && !haystacks) {
      haystacks = rows.map(function (row) {
        return [row[ID], row[TITLE], row[PARTNER], labels[row[COUNTRY]], labels[row[TYPE]], topTitle(row)]
          .join("\n").toLowerCase();
      });
    }
    shown = [];
    for (var i = 0; i < rows.length; i += 1) {
      var row = rows[i];
      if ((wantedTier < 0 || row[TIER] === wantedTier) && (wantedStatus < 0 || row[STATUS] === wantedStatus) &&
          (!needle || haystacks[i].indexOf(needle) !== -1)) {
        shown.push(i);
      }
    }
    order();
  }

  function order() {
    if (sortColumn >= 0) {
      var k = key(sortColumn), sign = ascending ? 1 : -1;
      shown.sort(function (a, b) { return k[a] < k[b] ? -sign : k[a] > k[b] ? sign : a - b; });
    }
  }

  function cell(tagName, content) {
    var node = el(tagName);
    if (typeof content === "string") { node.textContent = content; } else { node.appendChild(content); }
    return node;
  }

  function drawRow(i) {
    var row = rows[i];
    var tr = el("tr");
    tr.setAttribute("data-tier", tiers[row[TIER]][0]);
    tr.appendChild(el("td", "num", String(i + 1)));
    var th = el("th");
    th.setAttribute("scope", "row");
    if (row[DETAIL]) {
      var button = el("button", "expand", row[ID]);
      button.type = "button";
      button.setAttribute("aria-expanded", open[i] ? "true" : "false");
      button.setAttribute("aria-controls", "detail-" + i);
      button.setAttribute("data-row", String(i));
      th.appendChild(button);
    } else {
      th.textContent = row[ID];
    }
    tr.appendChild(th);
    tr.appendChild(cell("td", tag(row[TIER])));
    tr.appendChild(cell("td", row[STATUS] === 1 ? el("strong", "failing", "Failing") : STATUS_TEXT[row[STATUS]]));
    tr.appendChild(cell("td", row[PARTNER]));
    tr.appendChild(cell("td", labels[row[COUNTRY]]));
    tr.appendChild(cell("td", labels[row[TYPE]]));
    tr.appendChild(cell("td", topTitle(row)));
    return tr;
  }

  function term(list, name, content) {
    list.appendChild(el("dt", "", name));
    list.appendChild(cell("dd", content));
  }

  function drawFinding(index) {
    var f = findings[index], rule = rules[f[0]];
    var item = el("li", "tier-" + tiers[f[1]][0]);
    var head = el("p");
    var link = el("a", "", rule[1]);
    link.setAttribute("href", "#rule-" + rule[0]);
    head.appendChild(link);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(tag(f[1]));
    head.appendChild(document.createTextNode(" " + rule[2] + " · rule "));
    head.appendChild(el("code", "", rule[0]));
    item.appendChild(head);
    var list = el("dl", "finding-detail");
    if (f[2].length) {
      var because = el("span");
      f[2].forEach(function (pair, n) {
        if (n) { because.appendChild(document.createTextNode(", ")); }
        because.appendChild(el("code", "", pair[0]));
        because.appendChild(document.createTextNode(" " + pair[1]));
      });
      term(list, "Because", because);
    }
    if (rule[4]) { term(list, "Advice", rule[4]); }
    if (rule[5]) { term(list, "Refer to", rule[5]); }
    if (f[3]) { term(list, "Waived", "until " + f[3][0] + ", approved by " + f[3][1] + ": " + f[3][2]); }
    item.appendChild(list);
    return item;
  }

  function drawDetail(i) {
    var row = rows[i], detail = row[DETAIL];
    var tr = el("tr", "detail");
    tr.id = "detail-" + i;
    var td = el("td");
    td.colSpan = 8;
    td.appendChild(el("h3", "", row[TITLE] ? row[ID] + ": " + row[TITLE] : row[ID]));
    var source = el("p", "source");
    source.appendChild(tag(row[TIER]));
    var words = " Register entry " + (i + 1) + ", " + labels[detail[0]] + " " + detail[1] + ". Partner " +
      row[PARTNER] + ", " + labels[row[COUNTRY]] + ".";
    if (detail[2] !== row[TIER]) { words += " After waivers: " + tiers[detail[2]][1] + "."; }
    if (detail[3]) { words += " Compared with the baseline: " + detail[3] + "."; }
    source.appendChild(document.createTextNode(words));
    td.appendChild(source);
    if (!detail[4].length) {
      td.appendChild(el("p", "", "No findings."));
    } else {
      var list = el("ul", "register-findings");
      detail[4].forEach(function (index) { list.appendChild(drawFinding(index)); });
      td.appendChild(list);
    }
    tr.appendChild(td);
    return tr;
  }

  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    var fragment = document.createDocumentFragment();
    var start = page * PAGE, end = Math.min(start + PAGE, shown.length);
    for (var n = start; n < end; n += 1) {
      fragment.appendChild(drawRow(shown[n]));
      if (open[shown[n]] && rows[shown[n]][DETAIL]) { fragment.appendChild(drawDetail(shown[n])); }
    }
    body.textContent = "";
    body.appendChild(fragment);
    number.value = String(page + 1);
    number.max = String(pages);
    count.textContent = " of " + format(pages);
    buttons.first.disabled = buttons.previous.disabled = page === 0;
    buttons.next.disabled = buttons.last.disabled = page >= pages - 1;
    status.textContent = shown.length ?
      "Showing " + format(start + 1) + "–" + format(end) + " of " + format(shown.length) + " engagements" +
        (shown.length < rows.length ? " (of " + format(rows.length) + " in the register)" : "") :
      "No engagement matches the filter";
  }

  function go(to) { page = to; draw(); }
  // Paging from the pager under the table: bring the new page's first rows into view.
  function turn(to) {
    go(to);
    if (table.getBoundingClientRect().top < 0) { status.scrollIntoView(); }
  }

  body.addEventListener("click", function (event) {
    var button = event.target.closest("button.expand");
    if (!button) { return; }
    var i = parseInt(button.getAttribute("data-row"), 10);
    open[i] = !open[i];
    draw();
    var again = body.querySelector('button.expand[data-row="' + i + '"]');
    if (again) { again.focus(); }
  });
  buttons.first.addEventListener("click", function () { turn(0); });
  buttons.previous.addEventListener("click", function () { turn(page - 1); });
  buttons.next.addEventListener("click", function () { turn(page + 1); });
  buttons.last.addEventListener("click", function () { turn(Infinity); });
  number.addEventListener("change", function () { turn((parseInt(number.value, 10) || 1) - 1); });

  var timer = null;
  function refilter() { page = 0; select(); draw(); }
  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refilter, 200);
  });
  tier.addEventListener("change", refilter);
  failing.addEventListener("change", refilter);

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    var button = el("button", "", th.textContent);
    button.type = "button";
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      ascending = !(sortColumn === column && ascending);
      sortColumn = column;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      order();
      go(0);
    });
  });

  select();
  draw();
  document.getElementById("table-needs-script").hidden = true;
  app.hidden = false;
})();
