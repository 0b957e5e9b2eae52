/* Keyvex one-line embed: <script src="https://HOST/embed.js" data-tool="SLUG" async></script>
   inserts a self-resizing iframe and trusts only height messages from that iframe. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !me.src) return;
  var keyvex = new URL(me.src).origin, slug = me.getAttribute("data-tool") || "";
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) return;
  var src = new URL("/t/" + slug + "/embed", keyvex), here = new URL(location.href);
  src.searchParams.set("origin", location.origin);
  if (me.getAttribute("data-transparent") === "1") src.searchParams.set("transparent", "1");
  here.searchParams.forEach(function (v, k) { if (/^utm_[a-z]{1,20}$/.test(k)) src.searchParams.set(k, v); });
  var frame = document.createElement("iframe");
  frame.src = src.href;
  frame.title = me.getAttribute("data-title") || "Interactive tool";
  frame.loading = "lazy";
  frame.setAttribute("scrolling", "no");
  frame.style.cssText = "width:100%;border:0;display:block;min-height:200px;height:600px;overflow:hidden";
  me.parentNode.insertBefore(frame, me.nextSibling);
  window.addEventListener("message", function (ev) {
    if (ev.origin !== keyvex || ev.source !== frame.contentWindow) return;
    var d = ev.data;
    if (!d || d.type !== "keyvex:height" || d.slug !== slug) return;
    var h = Number(d.height);
    if (isFinite(h) && h > 0 && h < 20000) frame.style.height = Math.ceil(h) + "px";
  });
})();
