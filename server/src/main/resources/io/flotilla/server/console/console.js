// The Flotilla web console (docs/console.md): plain JavaScript, no build step, nothing loaded from
// elsewhere. It keeps the API's bearer token in sessionStorage and sends it with every request for
// data. Everything taken from the API is put into the page as text (textContent, attributes set one
// by one), never parsed as HTML.

const TOKEN_KEY = "flotilla.token";
const POLL_MS = 2000;
const API = "/apis/flotilla.io/v1alpha1";
const CORDONED = "flotilla.io/cordoned";
const DRAINED = "flotilla.io/drained";
const MIDDLEWARE_LABEL = "flotilla.io/middleware";
const CLUSTER_LABEL = "flotilla.io/cluster";
const REVISION = "flotilla.io/revision";
const HISTORY = 60;

// ---------------------------------------------------------------------------------------------
// DOM helpers: elements built from text only.

/** An element: attributes (class, data-*, handlers as on*), then children (nodes or text). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") {
      el.addEventListener(k.slice(2), v);
    } else if (k === "class") {
      el.className = v;
    } else if (k === "style") {
      Object.assign(el.style, v); // through the CSSOM: the CSP allows no inline style attribute
    } else if (k === "hidden" || k === "disabled" || k === "selected" || k === "required") {
      el[k] = Boolean(v);
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

function table(headers, rows, empty) {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h(
    "table",
    {},
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { class: x.endsWith("#") ? "num" : "" }, x.replace(/#$/, ""))))),
    h("tbody", {}, rows),
  );
}

function badge(ok, yes, no) {
  return h("span", { class: "badge " + (ok ? "ok" : "bad") }, ok ? yes : no);
}

function route(...parts) {
  return "#/" + parts.map(encodeURIComponent).join("/");
}

function age(seconds) {
  if (seconds === null || seconds === undefined) return "never seen";
  if (seconds < 60) return seconds + " s ago";
  if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
  return Math.floor(seconds / 3600) + " h ago";
}

function when(ts) {
  if (!ts) return "";
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const s = Math.max(0, Math.round((Date.now() - d.getTime()) / 1000));
  return String(ts).replace(/\.\d+Z$/, "Z") + " (" + age(s) + ")";
}

/** Conditions whose True is the trouble (a failover under way); for the others False is. */
const TRUE_IS_TROUBLE = new Set(["FailingOver"]);

function conditionClass(c) {
  if (c.status !== "True" && c.status !== "False") return "none";
  const good = (c.status === "True") !== TRUE_IS_TROUBLE.has(c.type);
  return good ? "ok" : c.status === "True" ? "warn" : "bad";
}

// ---------------------------------------------------------------------------------------------
// The API.

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : "HTTP " + status);
    this.status = status;
    this.reason = body && body.reason ? body.reason : "";
    this.problems = body && Array.isArray(body.problems) ? body.problems : [];
  }
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

async function call(method, path, body, withToken) {
  const headers = { Accept: "application/json", Authorization: "Bearer " + (withToken ?? token()) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let r;
  try {
    r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  } catch (e) {
    throw new ApiError(0, { message: "the control plane cannot be reached (" + e.message + ")" });
  }
  let json = null;
  try {
    json = await r.json();
  } catch (e) {
    json = null;
  }
  if (!r.ok) throw new ApiError(r.status, json);
  return json;
}

const get = (path) => call("GET", path);

/** The object's events, oldest first; [] when the server keeps none (or has no events API). */
async function events(query) {
  try {
    const r = await get("/api/v1/events?" + new URLSearchParams(query).toString());
    return { items: Array.isArray(r && r.items) ? r.items : [], note: "" };
  } catch (e) {
    if (e.status === 401) throw e;
    return { items: [], note: e.status === 404 ? "" : "events could not be read: " + e.message };
  }
}

// ---------------------------------------------------------------------------------------------
// Chrome: banner, live indicator, routing, polling.

const app = () => document.getElementById("app");

function banner(text) {
  const b = document.getElementById("banner");
  b.hidden = !text;
  b.textContent = text || "";
}

function live(ok, text) {
  const l = document.getElementById("live");
  l.hidden = false;
  l.classList.toggle("stale", !ok);
  l.textContent = text;
}

let page = null;
let timer = null;
let busy = false;

/** The token was refused while signed in: back to the login page. */
function expired() {
  sessionStorage.removeItem(TOKEN_KEY);
  show("login", "The token is no longer accepted (401): sign in again.");
}

function signedIn(yes) {
  document.getElementById("nav").hidden = !yes;
  document.getElementById("logout").hidden = !yes;
  if (!yes) document.getElementById("live").hidden = true;
}

async function tick() {
  if (!page || busy) return;
  busy = true;
  const current = page;
  try {
    await current.refresh();
    if (current === page) {
      banner("");
      live(true, "live · updated " + new Date().toLocaleTimeString());
    }
  } catch (e) {
    if (e.status === 401) {
      expired();
      return;
    }
    if (current === page) {
      banner(e.status === 404 ? e.message : "Cannot refresh: " + e.message + (e.status ? " (HTTP " + e.status + ")" : ""));
      live(false, "retrying every " + POLL_MS / 1000 + " s");
    }
  } finally {
    busy = false;
  }
}

function show(name, message) {
  clearInterval(timer);
  page = null;
  banner("");
  if (name === "login") {
    signedIn(false);
    fill(app(), loginPage(message));
    return;
  }
  signedIn(true);
  const [kind, ...args] = name;
  page = kind === "mw" ? middlewarePage(args[0], args[1]) : kind === "cluster" ? clusterPage(args[0]) : globalPage();
  fill(app(), page.root);
  tick();
  timer = setInterval(tick, POLL_MS);
}

function navigate() {
  if (!token()) {
    show("login");
    return;
  }
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter((p) => p !== "").map(decodeURIComponent);
  if (parts[0] === "mw" && parts.length === 3) show(["mw", parts[1], parts[2]]);
  else if (parts[0] === "cluster" && parts.length === 2) show(["cluster", parts[1]]);
  else show(["global"]);
}

// ---------------------------------------------------------------------------------------------
// Login.

function loginPage(message) {
  const input = h("input", { type: "password", id: "token", name: "token", autocomplete: "off", required: true, placeholder: "43 characters, base64url" });
  const error = h("p", { class: "error", id: "login-error", role: "alert" }, message || "");
  const submit = h("button", { type: "submit", id: "login-submit" }, "Sign in");
  const form = h(
    "form",
    {
      class: "login-form",
      onsubmit: async (ev) => {
        ev.preventDefault();
        const t = input.value.trim();
        if (!t) return;
        submit.disabled = true;
        fill(error);
        try {
          await call("GET", "/api/v1/view", undefined, t);
          sessionStorage.setItem(TOKEN_KEY, t);
          if (!location.hash || location.hash === "#/login") location.hash = "#/";
          navigate();
        } catch (e) {
          fill(error, e.status === 401 ? "This token is not accepted by the control plane (401 Unauthorized)." : "Cannot sign in: " + e.message);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("label", {}, "API bearer token", input),
    submit,
    error,
  );
  return h(
    "section",
    { class: "panel login", id: "login" },
    h("h1", {}, "Sign in"),
    h(
      "p",
      { class: "sub" },
      "Paste the control plane's bearer token. The server prints it once and keeps it in its data directory, file ",
      h("span", { class: "mono" }, "token"),
      " (the sandbox's is ",
      h("span", { class: "mono" }, "<dir>/control-plane/token"),
      "). It stays in this tab's session storage only.",
    ),
    form,
  );
}

// ---------------------------------------------------------------------------------------------
// Global view: clusters × middlewares.

function taintsOf(mc) {
  return (mc && mc.spec && Array.isArray(mc.spec.taints) ? mc.spec.taints : []).filter((t) => t && t.key);
}

function clusterTags(mc) {
  const keys = taintsOf(mc).map((t) => t.key);
  return [keys.includes(DRAINED) ? h("span", { class: "tag" }, "drained") : keys.includes(CORDONED) ? h("span", { class: "tag" }, "cordoned") : null];
}

function globalPage() {
  const cards = h("div", { class: "cards" });
  const matrix = h("section", { class: "panel" });
  const root = h(
    "div",
    { id: "global" },
    h("h1", {}, "Global view"),
    h("p", { class: "sub" }, "Every middleware's instances per member cluster: ready / scheduled. Refreshed every 2 s."),
    cards,
    matrix,
  );

  async function refresh() {
    const [view, mcs] = await Promise.all([get("/api/v1/view"), get(API + "/memberclusters")]);
    const byName = new Map((mcs.items || []).map((o) => [o.metadata.name, o]));
    const clusters = view.clusters || [];
    const mws = view.middlewares || [];
    const instances = mws.flatMap((m) => m.instances || []);
    fill(
      cards,
      card(clusters.filter((c) => c.ready).length + " / " + clusters.length, "clusters ready"),
      card(mws.length, "middlewares"),
      card(instances.filter((i) => i.ready).length + " / " + instances.length, "instances ready"),
    );
    const head = h(
      "tr",
      {},
      h("th", {}, "Middleware"),
      h("th", {}, "Type"),
      clusters.map((c) =>
        h(
          "th",
          { class: "cluster " + (c.ready ? "ok" : "bad"), "data-cluster": c.name, "data-ready": String(c.ready) },
          h("a", { href: route("cluster", c.name) }, c.name),
          " ",
          c.ready ? "Ready" : "NotReady",
          h("span", { class: "hb" }, "heartbeat " + age(c.heartbeatAgeSeconds)),
          clusterTags(byName.get(c.name)),
        ),
      ),
      h("th", { class: "num" }, "Total"),
    );
    const rows = mws.map((m) => {
      const insts = m.instances || [];
      return h(
        "tr",
        { "data-middleware": m.namespace + "/" + m.name },
        h("td", {}, h("a", { href: route("mw", m.namespace, m.name) }, m.namespace + "/" + m.name)),
        h("td", {}, m.type),
        clusters.map((c) => {
          const here = insts.filter((i) => i.cluster === c.name);
          const ready = here.filter((i) => i.ready).length;
          const cls = here.length === 0 ? "none" : ready === here.length ? "ok" : ready === 0 ? "bad" : "warn";
          return h(
            "td",
            { class: "cell " + cls, "data-cell": m.namespace + "/" + m.name + "@" + c.name, "data-count": here.length, "data-ready": ready, title: here.map((i) => i.role + " " + i.id + (i.ready ? " ready" : " not ready")).join(", ") },
            here.length === 0 ? "–" : ready + " / " + here.length,
          );
        }),
        h("td", { class: "num" }, insts.filter((i) => i.ready).length + " / " + insts.length),
      );
    });
    fill(
      matrix,
      h("h2", {}, "Clusters × middlewares"),
      mws.length === 0 && clusters.length === 0
        ? h("p", { class: "empty" }, "No member clusters and no middleware yet.")
        : h("table", { class: "matrix", id: "matrix" }, h("thead", {}, head), h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: clusters.length + 3, class: "empty" }, "No middleware yet.")))),
    );
  }
  return { root, refresh };
}

function card(n, label) {
  return h("div", { class: "card" }, h("div", { class: "n" }, n), h("div", { class: "l" }, label));
}

// ---------------------------------------------------------------------------------------------
// Middleware page.

function conditionsTable(conditions) {
  return table(
    ["Type", "Status", "Reason", "Message", "Last transition"],
    (conditions || []).map((c) =>
      h(
        "tr",
        { "data-condition": c.type },
        h("td", {}, c.type),
        h("td", {}, h("span", { class: "badge " + conditionClass(c) }, c.status)),
        h("td", {}, c.reason || ""),
        h("td", {}, c.message || ""),
        h("td", { class: "muted" }, when(c.lastTransitionTime)),
      ),
    ),
    "No conditions reported yet.",
  );
}

function eventsTable(ev) {
  const rows = ev.items
    .slice()
    .reverse()
    .map((e) =>
      h(
        "tr",
        {},
        h("td", { class: "muted" }, when(e.lastTimestamp || e.firstTimestamp)),
        h("td", {}, h("span", { class: "badge " + (e.type === "Warning" ? "warn" : "ok") }, e.type || "")),
        h("td", {}, e.reason || ""),
        h("td", {}, e.message || ""),
        h("td", { class: "num" }, e.count ?? ""),
      ),
    );
  return [table(["Last seen", "Type", "Reason", "Message", "Count#"], rows, "No events."), ev.note ? h("p", { class: "muted" }, ev.note) : null];
}

function placementTable(placement, clusters, empty) {
  const roles = Object.keys(placement || {});
  return table(
    ["Role", ...clusters.map((c) => c + "#")],
    roles.map((r) => h("tr", {}, h("td", {}, r), clusters.map((c) => h("td", { class: "num" }, (placement[r] || {})[c] || 0)))),
    empty,
  );
}

function middlewarePage(ns, name) {
  const title = h("h1", {}, ns + "/" + name);
  const sub = h("p", { class: "sub" });
  const instances = h("section", { class: "panel", id: "instances" });
  const conditions = h("section", { class: "panel", id: "conditions" });
  const placement = h("section", { class: "panel", id: "placement" });
  const eventsPanel = h("section", { class: "panel", id: "events" });
  const policies = h("section", { class: "panel", id: "policies" });
  const relocate = relocateForm(ns, name);
  const root = h(
    "div",
    { id: "middleware", "data-middleware": ns + "/" + name },
    h("div", { class: "crumbs" }, h("a", { href: "#/" }, "Global view"), " / middleware"),
    title,
    sub,
    instances,
    h("div", { class: "grid" }, placement, relocate.root),
    h("div", { class: "gap" }),
    conditions,
    eventsPanel,
    policies,
  );

  async function refresh() {
    const base = API + "/namespaces/" + encodeURIComponent(ns);
    const [view, mw, pps, ops, ev] = await Promise.all([
      get("/api/v1/view"),
      get(base + "/middlewares/" + encodeURIComponent(name)),
      get(base + "/propagationpolicies"),
      get(base + "/overridepolicies"),
      events({ kind: "Middleware", namespace: ns, name }),
    ]);
    const spec = mw.spec || {};
    const status = mw.status || {};
    const entry = (view.middlewares || []).find((m) => m.namespace === ns && m.name === name) || { instances: [] };
    const clusters = (view.clusters || []).map((c) => c.name);
    const ready = entry.instances.filter((i) => i.ready).length;
    fill(
      sub,
      spec.type + (spec.version ? " " + spec.version : "") + " · generation " + (mw.metadata.generation ?? "?") + " (observed " + (status.observedGeneration ?? "–") + ") · " + ready + " of " + entry.instances.length + " instances ready",
    );

    fill(
      instances,
      h("h2", {}, "Instances by cluster"),
      h(
        "div",
        { class: "clusters" },
        (view.clusters || []).map((c) => {
          const here = entry.instances.filter((i) => i.cluster === c.name);
          return h(
            "div",
            { class: "cluster-box", "data-cluster": c.name },
            h("h3", {}, h("a", { href: route("cluster", c.name) }, c.name), badge(c.ready, "Ready", "NotReady")),
            here.length === 0
              ? h("p", { class: "empty" }, "no instances")
              : here.map((i) =>
                  h(
                    "div",
                    { class: "instance" + (i.ready ? " ready" : ""), "data-instance": i.cluster + "/" + i.role + "/" + i.id, "data-ready": String(i.ready) },
                    h("div", {}, h("strong", {}, i.role + " " + i.id), h("div", { class: "mono muted" }, i.pod)),
                    h("div", { class: "mono" }, i.address || "address not known yet", h("div", {}, i.ready ? "ready" : "not ready")),
                  ),
                ),
          );
        }),
      ),
    );

    const placed = Object.values(status.placement || {}).flatMap((m) => Object.keys(m || {}));
    const pinnedClusters = Object.values(spec.pinnedPlacement || {}).flatMap((m) => Object.keys(m || {}));
    const cols = [...new Set([...clusters, ...placed, ...pinnedClusters])].sort();
    fill(
      placement,
      h("h2", {}, "Placement"),
      h("p", { class: "muted" }, "Scheduled (status.placement):"),
      placementTable(status.placement, cols, "Not placed yet."),
      h("p", { class: "muted" }, "Pinned by hand (spec.pinnedPlacement):"),
      placementTable(spec.pinnedPlacement, cols, "Nothing pinned: the scheduler chooses."),
    );
    relocate.update(spec, status, clusters);

    fill(conditions, h("h2", {}, "Conditions"), conditionsTable(status.conditions));
    fill(eventsPanel, h("h2", {}, "Events"), eventsTable(ev));

    const mine = (o) => o.metadata && o.metadata.labels && o.metadata.labels[MIDDLEWARE_LABEL] === name;
    const pp = (pps.items || []).filter(mine);
    const op = (ops.items || []).filter(mine);
    fill(
      policies,
      h("h2", {}, "Generated policies"),
      table(
        ["Kind", "Name", "Cluster(s)", "Revision / priority", ""],
        [
          ...pp.map((p) => {
            const names = (((p.spec || {}).placement || {}).clusterAffinity || {}).clusterNames || [];
            return policyRow("PropagationPolicy", p, names.join(", ") || "none", "priority " + ((p.spec || {}).priority ?? 0));
          }),
          ...op.map((o) => policyRow("OverridePolicy", o, o.metadata.labels[CLUSTER_LABEL] || "", ((o.metadata.annotations || {})[REVISION] || "") + " · priority " + ((o.spec || {}).priority ?? 0))),
        ],
        "No generated policies.",
      ),
    );
  }
  return { root, refresh };
}

function policyRow(kind, o, clusters, detail) {
  return h(
    "tr",
    { "data-policy": kind + "/" + o.metadata.name },
    h("td", {}, kind),
    h("td", { class: "mono" }, o.metadata.name),
    h("td", {}, clusters),
    h("td", { class: "mono muted" }, detail),
    h("td", {}, h("details", {}, h("summary", {}, "spec"), h("pre", {}, JSON.stringify(o.spec, null, 2)))),
  );
}

/** The relocate form: a dry run first (the scheduler's answer), then the move itself. */
function relocateForm(ns, name) {
  const role = h("select", { id: "relocate-role", name: "role" });
  const from = h("select", { id: "relocate-from", name: "from" });
  const to = h("select", { id: "relocate-to", name: "to" });
  const count = h("input", { id: "relocate-count", name: "count", type: "number", min: "1", value: "1" });
  const check = h("button", { type: "submit", id: "relocate-check", class: "secondary" }, "Check with the scheduler");
  const move = h("button", { type: "button", id: "relocate-apply", disabled: true }, "Move");
  const answer = h("div", { id: "relocate-answer", "aria-live": "polite" });
  let checked = null;

  const body = () => ({ role: role.value, from: from.value, to: to.value, count: Number(count.value) });
  const same = (a, b) => a && b && a.role === b.role && a.from === b.from && a.to === b.to && a.count === b.count;
  const path = "/api/v1/middlewares/" + encodeURIComponent(ns) + "/" + encodeURIComponent(name) + "/relocate";

  function reset() {
    checked = null;
    move.disabled = true;
  }
  for (const el of [role, from, to, count]) {
    el.addEventListener("change", () => {
      reset();
      fill(answer);
    });
  }

  function refusal(e) {
    // a single problem is the message itself: say it once
    const one = e.problems.length === 1 && e.message.endsWith(e.problems[0].message);
    return h(
      "div",
      { class: "answer bad", "data-outcome": "refused", "data-status": e.status },
      h("p", {}, h("strong", {}, "Refused (" + e.status + (e.reason ? " " + e.reason : "") + "): "), e.message),
      e.problems.length && !one ? h("ul", {}, e.problems.map((p) => h("li", {}, h("span", { class: "mono" }, p.path), ": ", p.message))) : null,
    );
  }

  function accepted(r, done) {
    const skew = Object.entries(r.skewExceeded || {});
    const risky = Object.entries(r.survivability || {}).filter(([, v]) => v && !v.survivesAnyClusterLoss);
    const pinned = Object.entries(r.pinnedPlacement || {}).map(([k, v]) => k + ": " + Object.entries(v).map(([c, n]) => c + "=" + n).join(", "));
    return h(
      "div",
      { class: "answer " + (risky.length ? "warn" : "ok"), "data-outcome": done ? "applied" : "accepted" },
      h("p", {}, h("strong", {}, done ? "Moved: " : "The scheduler accepts it: "), done ? "spec.pinnedPlacement written (generation " + r.generation + "); the controller rolls it out." : "press Move to write it."),
      h("ul", {}, h("li", {}, "pinned placement: ", h("span", { class: "mono" }, pinned.join("; "))), skew.map(([k, v]) => h("li", {}, "role " + k + " exceeds its maxSkew: skew " + v)), risky.map(([k, v]) => h("li", {}, "role " + k + ": losing " + v.breakingClusters.join(" or ") + " would leave fewer than " + v.quorum + " of " + v.voters + " voters")), (r.warnings || []).map((w) => h("li", {}, w))),
    );
  }

  async function send(dryRun) {
    const b = body();
    check.disabled = true;
    move.disabled = true;
    try {
      const r = await call("POST", path + (dryRun ? "?dryRun=true" : ""), b);
      fill(answer, accepted(r, !dryRun));
      checked = dryRun ? b : null;
      move.disabled = !dryRun;
    } catch (e) {
      if (e.status === 401) {
        expired();
        return;
      }
      fill(answer, refusal(e));
      reset();
    } finally {
      check.disabled = false;
    }
  }

  move.addEventListener("click", () => {
    if (same(checked, body())) send(false);
  });
  const form = h(
    "form",
    {
      class: "relocate",
      id: "relocate",
      onsubmit: (ev) => {
        ev.preventDefault();
        send(true);
      },
    },
    h("label", {}, "Role", role),
    h("label", {}, "From", from),
    h("label", {}, "To", to),
    h("label", {}, "Count", count),
    check,
    move,
  );
  const root = h(
    "section",
    { class: "panel" },
    h("h2", {}, "Relocate instances"),
    h("p", { class: "muted" }, "Moves instances of a role to another cluster. The scheduler checks the move first (dry run); Move then pins the placement and the controller rolls it out, instance by instance."),
    form,
    answer,
  );

  /** Keeps the choices in step with the Middleware, keeping what is selected. */
  function options(select, values) {
    const now = Array.from(select.options).map((o) => o.value);
    if (now.join("\n") === values.join("\n")) return;
    const keep = select.value;
    fill(select, values.map((v) => h("option", { value: v, selected: v === keep }, v)));
  }

  function update(spec, status, clusters) {
    const roles = (spec.replicaRequirements || []).filter((r) => r.replicaSchedulingType !== "Duplicated").map((r) => r.role);
    options(role, roles);
    options(from, clusters);
    options(to, clusters);
    if (!to.dataset.touched && clusters.length > 1 && to.value === from.value) {
      to.value = clusters.find((c) => c !== from.value);
    }
  }
  to.addEventListener("change", () => {
    to.dataset.touched = "1";
  });
  return { root, update };
}

// ---------------------------------------------------------------------------------------------
// Cluster page.

const samples = new Map(); // cluster → [{at, ready}], what this tab has seen

/** A Kubernetes quantity as a number (cores for cpu, bytes for memory). */
function quantity(q) {
  if (q === undefined || q === null) return NaN;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q).trim());
  if (!m) return NaN;
  const f = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 }[m[2]];
  return f === undefined ? NaN : Number(m[1]) * f;
}

function capacityRow(label, allocated, allocatable) {
  const a = quantity(allocated);
  const t = quantity(allocatable);
  const pct = t > 0 && a >= 0 ? Math.min(100, Math.round((a / t) * 100)) : 0;
  return h(
    "div",
    { "data-capacity": label },
    h("div", {}, h("strong", {}, label), " ", h("span", { class: "mono" }, (allocated ?? "?") + " of " + (allocatable ?? "?")), Number.isFinite(a / t) ? h("span", { class: "muted" }, " allocated (" + pct + "%)") : null),
    h("div", { class: "bar" }, h("span", { style: { width: pct + "%" } })),
  );
}

function clusterPage(name) {
  const sub = h("p", { class: "sub" });
  const health = h("section", { class: "panel", id: "health" });
  const capacity = h("section", { class: "panel", id: "capacity" });
  const taints = h("section", { class: "panel", id: "taints" });
  const running = h("section", { class: "panel", id: "running" });
  const eventsPanel = h("section", { class: "panel", id: "events" });
  const actionAnswer = h("span", { id: "cluster-action-answer", class: "muted", "aria-live": "polite" });
  const cordon = h("button", { type: "button", id: "cordon", class: "secondary" }, "Cordon");
  const uncordon = h("button", { type: "button", id: "uncordon", class: "secondary" }, "Uncordon");
  const drain = h("button", { type: "button", id: "drain", class: "danger" }, "Drain");
  const confirmDrain = h("button", { type: "button", id: "drain-confirm", class: "danger", hidden: true }, "Drain " + name + ": move every instance off it");
  const actions = h(
    "section",
    { class: "panel", id: "actions" },
    h("h2", {}, "Actions"),
    h("p", { class: "muted" }, "Cordon: the cluster keeps what it runs and gets no new replicas. Drain: cordon, and move every instance off it. Uncordon undoes both."),
    h("div", { class: "actions" }, cordon, drain, confirmDrain, uncordon, actionAnswer),
  );
  const root = h(
    "div",
    { id: "cluster", "data-cluster": name },
    h("div", { class: "crumbs" }, h("a", { href: "#/" }, "Global view"), " / member cluster"),
    h("h1", {}, name),
    sub,
    h("div", { class: "grid" }, health, capacity),
    h("div", { class: "gap" }),
    h("div", { class: "grid" }, taints, actions),
    h("div", { class: "gap" }),
    running,
    eventsPanel,
  );
  /** Adds or removes taints by a read-modify-write with the resourceVersion; again on a conflict. */
  async function change(add, remove, done) {
    for (const b of [cordon, uncordon, drain, confirmDrain]) b.disabled = true;
    confirmDrain.hidden = true;
    fill(actionAnswer, "writing…");
    const path = API + "/memberclusters/" + encodeURIComponent(name);
    try {
      for (let attempt = 1; ; attempt++) {
        const o = await get(path);
        const list = taintsOf(o).filter((t) => !remove.some((r) => r.key === t.key && r.effect === t.effect));
        for (const t of add) {
          if (!list.some((x) => x.key === t.key && x.effect === t.effect)) list.push({ key: t.key, value: "", effect: t.effect });
        }
        o.spec = Object.assign({}, o.spec, { taints: list });
        delete o.status;
        try {
          await call("PUT", path, o);
          break;
        } catch (e) {
          if (e.status === 409 && attempt < 5) continue; // written in between (its status, say)
          throw e;
        }
      }
      fill(actionAnswer, done);
      await tick();
    } catch (e) {
      if (e.status === 401) {
        expired();
        return;
      }
      fill(actionAnswer, h("span", { class: "error" }, "Refused: " + e.message));
    } finally {
      for (const b of [cordon, uncordon, drain, confirmDrain]) b.disabled = false;
    }
  }
  const cordonTaint = { key: CORDONED, effect: "NoSchedule" };
  const drainTaint = { key: DRAINED, effect: "NoExecute" };
  cordon.addEventListener("click", () => change([cordonTaint], [], name + " cordoned: it keeps what it runs and gets no new replicas."));
  drain.addEventListener("click", () => {
    confirmDrain.hidden = false;
  });
  confirmDrain.addEventListener("click", () => change([cordonTaint, drainTaint], [], name + " drained: its instances move to other clusters."));
  uncordon.addEventListener("click", () => change([], [cordonTaint, drainTaint], name + " uncordoned: the scheduler may place replicas there again."));

  async function refresh() {
    const [mc, view, ev] = await Promise.all([get(API + "/memberclusters/" + encodeURIComponent(name)), get("/api/v1/view"), events({ kind: "MemberCluster", name })]);
    const status = mc.status || {};
    const conds = status.conditions || [];
    const ready = conds.find((c) => c.type === "Ready");
    const vc = (view.clusters || []).find((c) => c.name === name);
    const isReady = Boolean(vc ? vc.ready : ready && ready.status === "True");
    const seen = samples.get(name) || [];
    seen.push({ at: new Date(), ready: isReady });
    while (seen.length > HISTORY) seen.shift();
    samples.set(name, seen);
    const labels = Object.entries((mc.metadata || {}).labels || {});
    fill(sub, badge(isReady, "Ready", "NotReady"), " · heartbeat " + age(vc ? vc.heartbeatAgeSeconds : null), " · ", labels.map(([k, v]) => h("span", { class: "tag" }, k + "=" + v)));

    fill(
      health,
      h("h2", {}, "Health"),
      ready
        ? h(
            "table",
            {},
            h(
              "tbody",
              {},
              h("tr", {}, h("th", {}, "Ready"), h("td", { "data-ready": String(isReady) }, ready.status + (ready.reason ? " · " + ready.reason : ""))),
              h("tr", {}, h("th", {}, "Message"), h("td", {}, ready.message || "")),
              h("tr", {}, h("th", {}, "Since"), h("td", {}, when(ready.lastTransitionTime))),
              h("tr", {}, h("th", {}, "Last heartbeat"), h("td", {}, when(ready.lastHeartbeatTime))),
            ),
          )
        : h("p", { class: "empty" }, "The health monitor has not reported on this cluster yet."),
      conds.length > 1 ? h("div", { class: "gap-top" }, conditionsTable(conds.filter((c) => c.type !== "Ready"))) : null,
      h("p", { class: "muted gap-top" }, "Seen by this page, every 2 s (oldest left):"),
      h("div", { class: "history", id: "history" }, seen.map((s) => h("span", { class: s.ready ? "ok" : "bad", title: s.at.toLocaleTimeString() + (s.ready ? " Ready" : " NotReady") }))),
    );

    const rs = status.resourceSummary || {};
    const alloc = rs.allocatable || {};
    const used = rs.allocated || {};
    fill(
      capacity,
      h("h2", {}, "Capacity"),
      rs.allocatable ? h("div", { class: "bars" }, capacityRow("cpu", used.cpu, alloc.cpu), capacityRow("memory", used.memory, alloc.memory), alloc.pods ? capacityRow("pods", used.pods, alloc.pods) : null) : h("p", { class: "empty" }, "No capacity reported yet."),
    );

    const ts = taintsOf(mc);
    const keys = ts.map((t) => t.key);
    cordon.hidden = keys.includes(CORDONED);
    drain.hidden = keys.includes(DRAINED);
    uncordon.hidden = !keys.includes(CORDONED) && !keys.includes(DRAINED);
    fill(
      taints,
      h("h2", {}, "Taints"),
      table(
        ["Key", "Value", "Effect"],
        ts.map((t) => h("tr", { "data-taint": t.key + ":" + t.effect }, h("td", { class: "mono" }, t.key), h("td", { class: "mono" }, t.value || ""), h("td", {}, t.effect || ""))),
        "No taints: the scheduler may place replicas here.",
      ),
    );

    const mine = (view.middlewares || []).flatMap((m) => (m.instances || []).filter((i) => i.cluster === name).map((i) => Object.assign({ mw: m }, i)));
    fill(
      running,
      h("h2", {}, "Instances here"),
      table(
        ["Middleware", "Role", "Id#", "Pod", "Address", "Ready"],
        mine.map((i) =>
          h(
            "tr",
            { "data-instance": i.cluster + "/" + i.role + "/" + i.id },
            h("td", {}, h("a", { href: route("mw", i.mw.namespace, i.mw.name) }, i.mw.namespace + "/" + i.mw.name)),
            h("td", {}, i.role),
            h("td", { class: "num" }, i.id),
            h("td", { class: "mono" }, i.pod),
            h("td", { class: "mono" }, i.address || "–"),
            h("td", {}, badge(i.ready, "ready", "not ready")),
          ),
        ),
        "No instances on this cluster.",
      ),
    );
    fill(eventsPanel, h("h2", {}, "Events"), eventsTable(ev));
  }
  return { root, refresh };
}

// ---------------------------------------------------------------------------------------------

document.getElementById("logout").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.hash = "#/";
  show("login", "Signed out.");
});
window.addEventListener("hashchange", navigate);
navigate();
