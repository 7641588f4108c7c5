// Date inputs: a browser sends an empty value for a date it could not read (a month 13, half a
// date), which the server could not tell from no date at all. As a form is sent, each such input
// gets a hidden "<name>--unreadable" field beside it, and the server refuses the date
// (aftersales/portal/day_inputs.py). Runs before htmx reads the form (capture phase).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.querySelectorAll) return;
    form.querySelectorAll("input[data-unreadable-mark]").forEach(function (mark) { mark.remove(); });
    form.querySelectorAll("input[type='date'][name]").forEach(function (input) {
      if (!input.validity || !input.validity.badInput) return;
      var mark = document.createElement("input");
      mark.type = "hidden";
      mark.name = input.name + "--unreadable";
      mark.value = "1";
      mark.setAttribute("data-unreadable-mark", "");
      input.insertAdjacentElement("afterend", mark);
    });
  }, true);
})();
