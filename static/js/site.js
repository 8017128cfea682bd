// Small enhancements; every page works without this file.
// The header's menu is a <details> element: collapsed on a phone, where a tap on "Menu"
// opens it, and always open on a wider screen (site.css also shows it there).
(function () {
  "use strict";
  var menu = document.querySelector("details.menu");
  if (!menu || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 48rem)");
  function follow() {
    menu.open = wide.matches;
  }
  follow();
  if (wide.addEventListener) {
    wide.addEventListener("change", follow);
  }
})();
