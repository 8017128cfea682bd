/* Inside the widget's frame: tell the page around it how tall the content is (read by
 * embed.js, which checks where the message comes from). Only a height is sent. */
(function () {
  "use strict";
  if (window.parent === window) {
    return;
  }
  var last = 0;
  function send() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ rencontresWidget: true, height: height }, "*");
    }
  }
  window.addEventListener("load", send);
  if ("ResizeObserver" in window) {
    new ResizeObserver(send).observe(document.body);
  } else {
    window.addEventListener("resize", send);
  }
})();
