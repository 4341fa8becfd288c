/* kolscope conversion snippet: keeps the click id a tracked link brought (?ks_click=...) for
   30 days in this site's own storage, and reports an order with it.
   <script src="https://KOLSCOPE/t/snippet.js" data-site="SITE_KEY" async></script>
   kolscope.conversion({order_id: "1001", revenue: "49.90", currency: "EUR"}); */
(function (w, d) {
  "use strict";
  var PARAM = "ks_click", KEY = "kolscope_click", DAYS = 30, MS = DAYS * 86400000;
  var script = d.currentScript;
  var site = script ? script.getAttribute("data-site") : null;
  var endpoint = script && script.src ? script.src.replace(/\/t\/snippet\.js(\?.*)?$/, "/t/collect/") : "/t/collect/";
  var valid = /^[A-Za-z0-9_-]{1,32}$/;

  function store(id) {
    try { w.localStorage.setItem(KEY, JSON.stringify({ id: id, at: Date.now() })); } catch (e) { /* storage off */ }
    d.cookie = KEY + "=" + encodeURIComponent(id) + ";path=/;max-age=" + DAYS * 86400 + ";SameSite=Lax";
  }

  function clickId() {
    try {
      var kept = JSON.parse(w.localStorage.getItem(KEY) || "null");
      if (kept && valid.test(kept.id) && Date.now() - kept.at < MS) { return kept.id; }
    } catch (e) { /* storage off or unreadable */ }
    var m = d.cookie.match(new RegExp("(?:^|; )" + KEY + "=([^;]*)"));
    var id = m ? decodeURIComponent(m[1]) : null;
    return id && valid.test(id) ? id : null;
  }

  var landed = new URLSearchParams(w.location.search).get(PARAM);
  if (landed && valid.test(landed)) { store(landed); }

  function conversion(order) {
    if (!site) { throw new Error("kolscope: the script tag needs data-site"); }
    if (!order || order.order_id === undefined || order.revenue === undefined || !order.currency) {
      throw new Error("kolscope: an order needs order_id, revenue and currency");
    }
    var body = JSON.stringify({
      order_id: String(order.order_id), revenue: String(order.revenue),
      currency: String(order.currency), at: order.at || new Date().toISOString(),
      promo_code: order.promo_code || undefined, click_id: clickId() || undefined
    });
    var url = endpoint + encodeURIComponent(site);
    // text/plain keeps it a simple request: no CORS preflight, and a beacon survives navigation.
    if (w.navigator.sendBeacon && w.navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }))) {
      return true;
    }
    w.fetch(url, { method: "POST", body: body, keepalive: true, mode: "no-cors",
                   headers: { "Content-Type": "text/plain" } });
    return true;
  }

  w.kolscope = { clickId: clickId, conversion: conversion };
})(window, document);
