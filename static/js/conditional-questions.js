/* Registration form: hide a question shown only for some answer to an earlier one
   until that answer is given. Without this script every question is shown, with its
   condition in its help text, and the server ignores answers whose condition fails. */
(function () {
  "use strict";
  function chosen(form, name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.selectedOptions, function (option) {
          values.push(option.value);
        });
      } else if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) { values.push(input.value); }
      } else {
        values.push(input.value);
      }
    });
    return values;
  }
  function wrapper(input) {
    return input.closest(".field") || input;
  }
  function shown(form, input) {
    var name = input.getAttribute("data-shown-if-field");
    var parent = form.querySelector('[name="' + name + '"]');
    if (parent && wrapper(parent).hidden) { return false; }
    return chosen(form, name).indexOf(input.getAttribute("data-shown-if-value")) !== -1;
  }
  function update(form) {
    /* Twice: a question can depend on one that depends on another. */
    for (var pass = 0; pass < 2; pass++) {
      form.querySelectorAll("[data-shown-if-field]").forEach(function (input) {
        wrapper(input).hidden = !shown(form, input);
      });
    }
  }
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-shown-if-field]")) { return; }
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
