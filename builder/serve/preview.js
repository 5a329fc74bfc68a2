// playbook serve: keeps an open page current without reloading it.
// Listens to /_serve/events; on a change asks /_serve/status/... whether this page changed,
// puts the new page's body in place, replacing only what changed (the scroll position stays),
// and shows the content's errors over the page until they are fixed. Text from the server is
// set with textContent only.
(function () {
  "use strict";
  const toolbar = () => document.getElementById("pb-toolbar");
  const first = toolbar();
  if (!first) return;
  const pairing = first.dataset.pairing || "";
  const documentId = first.dataset.document || "";
  const statusUrl = pairing ? `/_serve/status/${pairing}/${documentId}` : "/_serve/status";
  const preview = (window.playbookPreview = { version: Number(first.dataset.version || 0), swaps: 0 });
  let busy = null;
  let again = false;

  function setStatus(kind, text, title) {
    const status = document.getElementById("pb-status");
    if (!status) return;
    status.className = `pb-status pb-status-${kind}`;
    status.textContent = text;
    status.title = title || "";
  }

  function plural(count, noun) {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
  }

  function overlay(own, others) {
    let box = document.getElementById("pb-overlay");
    if (!own.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "pb-overlay";
      box.className = "pb-overlay";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.replaceChildren();
    const panel = document.createElement("div");
    panel.className = "pb-overlay-panel";
    const heading = document.createElement("h2");
    heading.textContent = preview.version
      ? `${plural(own.length, "error")}: this page is the last good version, not the current content`
      : `${plural(own.length, "error")}: this document cannot be shown yet`;
    panel.appendChild(heading);
    panel.appendChild(list(own));
    if (others.length) {
      const more = document.createElement("p");
      more.textContent = `Other problems in the content (${others.length}):`;
      panel.appendChild(more);
      panel.appendChild(list(others));
    }
    const hint = document.createElement("p");
    hint.className = "pb-hint";
    hint.textContent = "Fix the file and save it: this page updates by itself.";
    panel.appendChild(hint);
    box.appendChild(panel);
  }

  function list(diagnostics) {
    const ul = document.createElement("ul");
    ul.className = "pb-diagnostics";
    for (const d of diagnostics) {
      const li = document.createElement("li");
      li.className = `pb-${d.level}`;
      li.textContent = d.text;
      ul.appendChild(li);
    }
    return ul;
  }

  function syncHead(fresh) {
    const pick = (head) => [...head.querySelectorAll("style, link[rel=stylesheet]")];
    const old = pick(document.head);
    const now = pick(fresh.head);
    if (old.length === now.length) {
      old.forEach((node, i) => {
        if (node.outerHTML !== now[i].outerHTML) node.replaceWith(document.importNode(now[i], true));
      });
    } else {
      old.forEach((node) => node.remove());
      now.forEach((node) => document.head.appendChild(document.importNode(node, true)));
    }
    if (fresh.title) document.title = fresh.title;
  }

  function sameAttributes(a, b) {
    if (a.attributes.length !== b.attributes.length) return false;
    for (const { name, value } of a.attributes) if (b.getAttribute(name) !== value) return false;
    return true;
  }

  // Make ``old``'s children those of ``fresh``, replacing only what differs: a save changes a
  // few paragraphs of a long document, and the browser lays out again only what was replaced.
  // ``depth``: how many levels down to look before replacing a whole subtree.
  function patch(old, fresh, depth) {
    const before = [...old.childNodes];
    const after = [...fresh.childNodes];
    if (depth === 0 || before.length !== after.length) {
      old.replaceChildren(...after.map((node) => document.adoptNode(node)));
      return;
    }
    before.forEach((node, i) => {
      const now = after[i];
      if (node.isEqualNode(now)) return;
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === now.tagName && sameAttributes(node, now)) {
        patch(node, now, depth - 1);
      } else {
        node.replaceWith(document.adoptNode(now));
      }
    });
  }

  const fetchPage = () => fetch(location.pathname, { cache: "no-store" });

  async function swap(fetching) {
    const response = await (fetching || fetchPage());
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const x = window.scrollX;
    const y = window.scrollY;
    const keep = document.getElementById("pb-overlay");
    document.body.style.minHeight = `${document.documentElement.scrollHeight}px`; // no jump while images decode
    syncHead(fresh);
    document.body.className = fresh.body.className;
    if (keep) keep.remove();
    patch(document.body, fresh.body, 3);
    if (keep) document.body.appendChild(keep);
    window.scrollTo(x, y);
    const images = [...document.images].map((image) => (image.decode ? image.decode().catch(() => {}) : null));
    await Promise.all(images);
    document.body.style.minHeight = "";
    window.scrollTo(x, y);
    preview.version = Number((toolbar() || first).dataset.version || 0);
    preview.swaps += 1;
  }

  // ``changed``: the server said this page was reached, so its new body is fetched at once,
  // while the status is asked for; both are needed before the swap.
  async function sync(changed) {
    const fetching = changed ? fetchPage() : null;
    const response = await fetch(statusUrl, { cache: "no-store" });
    if (!response.ok) {
      setStatus("error", "Not found", "This document is no longer in the content");
      return;
    }
    const status = await response.json();
    if (status.version !== preview.version) await swap(fetching);
    if (!pairing) {
      setStatus(status.errors ? "warn" : "live", status.errors ? `Live · ${plural(status.errors, "error")}` : "Live");
      return;
    }
    overlay(status.own, status.others);
    if (status.own.length) {
      setStatus("error", plural(status.own.length, "error"), "The page is not current: see the list of errors");
    } else if (status.others.length) {
      setStatus("warn", `Live · ${plural(status.others.length, "error")} elsewhere`,
                "Other pairings' files have errors; the index lists them");
    } else {
      setStatus("live", "Live", "Updates as you save content or templates");
    }
  }

  function refresh(changed) {
    if (busy) {
      again = true;
      return busy;
    }
    busy = (async () => {
      do {
        again = false;
        try {
          await sync(changed);
          changed = false;
        } catch (error) {
          setStatus("offline", "Offline", String(error));
        }
      } while (again);
      busy = null;
    })();
    return busy;
  }

  function reloadStylesheets() {
    for (const link of document.head.querySelectorAll("link[rel=stylesheet]")) {
      const url = new URL(link.getAttribute("href"), location.href);
      url.searchParams.set("v", String(Date.now()));
      link.href = url.pathname + url.search;
    }
  }

  const events = new EventSource("/_serve/events");
  events.onopen = () => refresh();
  events.onerror = () => setStatus("offline", "Offline · reconnecting", "The preview server is not answering");
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "building") setStatus("busy", "Updating…");
    if (event.type === "updated") {
      if (event.assets) reloadStylesheets();
      refresh(!pairing || event.documents.includes(`${pairing}/${documentId}`));
    }
  };
})();
