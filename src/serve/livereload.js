// Gazette live reload (served by `gazette serve` only, never part of a build).
// Reloads the page when a rebuild changed it, and shows the problems that
// stopped a rebuild over the page. Builds the overlay with the DOM and
// textContent only, so the problems' text is never read as HTML, and needs no
// inline script or style attribute: pages stay clean under a strict CSP.
(() => {
  "use strict";
  const OVERLAY_ID = "gazette-problems";

  // The page's address as the server names pages: "/2020/09/x/", "/feed.xml".
  const here = () => {
    const path = location.pathname.replace(/index\.html$/, "");
    try {
      return decodeURI(path);
    } catch {
      return path;
    }
  };

  const hide = () => {
    const overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  };

  const show = (text) => {
    hide();
    const overlay = document.createElement("div");
    overlay.id = OVERLAY_ID;
    overlay.setAttribute("role", "alert");
    Object.assign(overlay.style, {
      position: "fixed",
      inset: "0",
      zIndex: "2147483647",
      overflow: "auto",
      padding: "2rem",
      background: "#181818",
      color: "#f5f5f5",
      font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
    });
    const title = document.createElement("p");
    title.textContent =
      "Gazette could not rebuild the site. The last good version is shown until this is fixed:";
    Object.assign(title.style, { fontWeight: "bold", color: "#ff8a80", margin: "0 0 1rem" });
    const problems = document.createElement("pre");
    problems.textContent = text;
    Object.assign(problems.style, { whiteSpace: "pre-wrap", margin: "0 0 1rem" });
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", hide);
    overlay.append(title, problems, close);
    (document.body || document.documentElement).append(overlay);
  };

  // For tools and tests: whether the page listens to the server.
  const state = (window.gazetteLiveReload = { connected: false });
  const events = new EventSource("/__gazette/events");
  events.addEventListener("hello", () => {
    state.connected = true;
  });
  events.addEventListener("error", () => {
    state.connected = false;
  });
  events.addEventListener("reload", (event) => {
    let urls = [];
    try {
      urls = JSON.parse(event.data);
    } catch {
      urls = ["*"];
    }
    if (urls.includes("*") || urls.includes(here())) location.reload();
  });
  events.addEventListener("problems", (event) => show(event.data));
  events.addEventListener("fixed", () => {
    hide();
    // The page served while the site could not be built: now it can.
    if (document.documentElement.hasAttribute("data-gazette-unavailable")) location.reload();
  });
})();
