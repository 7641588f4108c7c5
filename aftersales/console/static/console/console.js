// The case console's keyboard and small helpers. Everything here is an extra: the pages work
// as plain links and forms without it.
//   /      focus the search box (queue)
//   j / k  next / previous case in the queue; Enter opens it (the row's link has the focus)
//   after an htmx update of the case page, the first refusal message takes the focus
//   "Add a line" in the quotation builder copies the empty line from its <template>
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.closest) return false;
    return target.isContentEditable || !!target.closest("input, textarea, select, [contenteditable]");
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-queue] [data-row]"));
  }

  function moveRow(step) {
    var all = rows();
    if (!all.length) return;
    var current = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-row]") : null;
    var index = all.indexOf(current);
    var next = index === -1 ? (step > 0 ? 0 : all.length - 1)
      : Math.min(all.length - 1, Math.max(0, index + step));
    var link = all[next].querySelector(".row-link");
    if (link) {
      link.focus();
      all[next].scrollIntoView({ block: "nearest" });
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape" && event.target.matches("[data-search]")) event.target.blur();
      return;
    }
    if (event.key === "/") {
      var search = document.querySelector("[data-search]");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    } else if (event.key === "j" || event.key === "k") {
      if (!rows().length) return;
      event.preventDefault();
      moveRow(event.key === "j" ? 1 : -1);
    }
  });

  // After htmx swaps the case in, put the focus on what needs reading: a refusal if there is
  // one; the page keeps its place otherwise.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "case") return;
    var refusal = document.querySelector("#case [data-focus]");
    if (refusal) {
      refusal.focus();
      refusal.scrollIntoView({ block: "center" });
    }
  });

  // Quotation builder: one more empty line, numbered after the last.
  function enableAddLine(root) {
    root.querySelectorAll("[data-formset-add]").forEach(function (button) {
      button.hidden = false;
    });
  }
  enableAddLine(document);
  document.addEventListener("htmx:afterSettle", function () { enableAddLine(document); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-formset-add]");
    if (!button) return;
    var form = button.closest("[data-formset]");
    var prefix = form.getAttribute("data-formset");
    var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = form.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return;
    var html = form.querySelector("[data-formset-template]").innerHTML
      .replace(/__prefix__/g, String(index)).replace(/__n__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var line = holder.firstElementChild;
    form.querySelector("[data-formset-rows]").appendChild(line);
    total.value = String(index + 1);
    var first = line.querySelector("select, input, textarea");
    if (first) first.focus();
  });
})();
