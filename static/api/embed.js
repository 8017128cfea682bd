/* Rencontres widget for partner sites: no dependency, nothing sent anywhere.
 *
 * Paste where the widget should appear (the code is on the workspace's "Show the events
 * on your website" page):
 *   <div data-rencontres-widget="https://SITE/pt/widget/events/"></div>
 *   <script src="https://SITE/static/api/embed.js" async></script>
 *
 * Each element gets an <iframe> of the widget page (from this script's own site only).
 * The page inside tells its height with postMessage; a message is believed only when it
 * comes from that frame's window and from the widget's origin.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var home = new URL(script.src, document.baseURI).origin;
  var frames = [];

  function insert(node) {
    if (node.getAttribute("data-rencontres-ready")) {
      return;
    }
    var url;
    try {
      url = new URL(node.getAttribute("data-rencontres-widget"), home);
    } catch (error) {
      return;
    }
    if (url.origin !== home) {
      return;
    }
    var frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = node.getAttribute("data-title") || "Rencontres";
    frame.setAttribute("loading", "lazy");
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = (parseInt(node.getAttribute("data-height"), 10) || 400) + "px";
    node.setAttribute("data-rencontres-ready", "1");
    node.appendChild(frame);
    frames.push(frame);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== home || !event.data || event.data.rencontresWidget !== true) {
      return;
    }
    var height = Number(event.data.height);
    if (!isFinite(height) || height <= 0 || height > 20000) {
      return;
    }
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.ceil(height) + "px";
      }
    }
  });

  var nodes = document.querySelectorAll("[data-rencontres-widget]");
  for (var i = 0; i < nodes.length; i++) {
    insert(nodes[i]);
  }
})();
