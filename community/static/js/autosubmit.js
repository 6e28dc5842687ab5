/* A <select data-autosubmit> sends its form when changed (no inline onchange: the CSP forbids it). */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
