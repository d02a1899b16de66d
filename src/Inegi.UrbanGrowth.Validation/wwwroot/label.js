"use strict";
// The labelling page: one cell at a time, every year's chips, answers by mouse or keyboard.
const state = {
  me: null, cell: null, years: [], ref: 0,
  answers: {},          // year -> 0 | 1 | 255
  firstYear: undefined, // undefined: not given; null: never urban; else a year
  confidence: null, selected: 0, zoom: 1,
  history: [], pos: -1, // cells answered, and where in that list the shown cell is (-1: a new cell)
};
const $ = (id) => document.getElementById(id);

async function start() {
  state.me = await api.get("/api/me");
  state.years = state.me.years;
  state.ref = state.me.referenceYear;
  $("who").textContent = state.me.name + (state.me.adjudicator ? " · adjudicator" : "");
  $("ref-year").textContent = "· map year " + state.ref;
  const fy = $("first-year");
  state.years.forEach((y, i) => fy.append(el("button", { type: "button", class: "pill", "data-first": String(y), innerHTML: `<kbd>${i + 1}</kbd> ${y}` })));
  fy.append(el("button", { type: "button", class: "pill", "data-first": "never", innerHTML: "<kbd>0</kbd> Never" }));
  wire();
  state.history = (await api.get("/api/history")).cellIds;
  await next();
  await progress();
}

function wire() {
  document.querySelectorAll(".answer").forEach(b => b.addEventListener("click", () => answer(Number(b.dataset.label))));
  document.querySelectorAll("[data-confidence]").forEach(b => b.addEventListener("click", () => { state.confidence = Number(b.dataset.confidence); paint(); }));
  document.querySelectorAll("[data-first]").forEach(b => b.addEventListener("click", () => first(b.dataset.first === "never" ? null : Number(b.dataset.first))));
  $("btn-save").addEventListener("click", save);
  $("btn-prev").addEventListener("click", previous);
  $("btn-next").addEventListener("click", next);
  document.addEventListener("keydown", onKey);
}

function onKey(e) {
  if (e.target === $("comment")) {
    if (e.key === "Escape") { $("comment").blur(); e.preventDefault(); }
    else if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("comment").blur(); save(); }
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const k = e.key;
  const i = state.years.indexOf(state.selected);
  const actions = {
    u: () => answer(1), n: () => answer(0), c: () => answer(255),
    "[": () => select(state.years[Math.max(0, i - 1)]), "]": () => select(state.years[Math.min(state.years.length - 1, i + 1)]),
    l: () => confidence(1), m: () => confidence(2), h: () => confidence(3),
    "+": () => zoom(2), "=": () => zoom(2), "-": () => zoom(0.5),
    Enter: save, ArrowLeft: previous, ArrowRight: next,
    "/": () => $("comment").focus(), "0": () => first(null),
  };
  const action = actions[k.length === 1 ? k.toLowerCase() : k] || (/^[1-9]$/.test(k) && state.years[Number(k) - 1] !== undefined ? () => first(state.years[Number(k) - 1]) : null);
  if (action) { e.preventDefault(); action(); }
}

function answer(label) { state.answers[state.selected] = label; state.firstYear = undefined; paint(); }
function select(year) { state.selected = year; paint(); }
function confidence(c) { state.confidence = c; paint(); }
function zoom(f) { state.zoom = Math.min(8, Math.max(1, state.zoom * f)); paint(); }
function first(year) {
  state.firstYear = year;
  for (const y of state.years) state.answers[y] = year !== null && y >= year ? 1 : 0;
  paint();
}

// A complete, monotone run of answers (never back from urban to non-urban) gives the first year urban by itself.
function derivedFirstYear() {
  if (state.firstYear !== undefined) return state.firstYear;
  const a = state.years.map(y => state.answers[y]);
  if (a.some(v => v !== 0 && v !== 1)) return undefined;
  const i = a.indexOf(1);
  if (i < 0) return null;
  return a.slice(i).every(v => v === 1) ? state.years[i] : undefined;
}

function show(cell) {
  state.cell = cell;
  state.answers = {}; state.firstYear = undefined; state.confidence = null; state.selected = state.ref;
  $("comment").value = "";
  if (cell.answer) {
    for (const [y, v] of Object.entries(cell.answer.years)) state.answers[Number(y)] = v;
    state.answers[state.ref] = cell.answer.label;
    state.firstYear = cell.answer.firstYearUrban === null ? undefined : cell.answer.firstYearUrban;
    state.confidence = cell.answer.confidence;
    $("comment").value = cell.answer.comment || "";
  }
  const grid = $("years");
  grid.replaceChildren();
  for (const chip of cell.chips) {
    const col = el("div", { class: "year", "data-year": String(chip.year) });
    const head = el("div", { class: "year-head" }, el("span", { class: "year-name", textContent: String(chip.year) }));
    if (chip.year === state.ref) head.append(el("span", { class: "tag", textContent: "map year" }));
    // Only sent when the server is unblinded (--unblind) and was given that year's map (--maps).
    const mapped = cell.mapClasses ? cell.mapClasses[String(chip.year)] : undefined;
    if (mapped !== undefined) head.append(el("span", { class: "tag map-class", textContent: `map: ${mapped === 255 ? "no data" : LABEL_NAMES[mapped]}` }));
    head.append(el("span", { class: "year-answer", textContent: "" }));
    col.append(head);
    for (const [src, caption] of [[chip.trueColor, "True colour"], [chip.falseColor, "SWIR1 · NIR · red"]]) {
      const frame = el("div", { class: "frame" }, el("img", { src, alt: `${caption} ${chip.year}`, draggable: false, width: 300, height: 300 }));
      col.append(frame, el("div", { class: "caption", textContent: caption }));
    }
    col.addEventListener("click", () => select(chip.year));
    grid.append(col);
  }
  let title = `Cell ${cell.cellId} · row ${cell.row}, col ${cell.col} · x ${cell.x.toFixed(0)}, y ${cell.y.toFixed(0)}`;
  if (cell.mapClass !== undefined) title += ` · map: ${LABEL_NAMES[cell.mapClass] || cell.mapClass}`;
  $("cell-title").textContent = title;
  paint();
}

function paint() {
  document.querySelectorAll(".year").forEach(c => {
    const y = Number(c.dataset.year), v = state.answers[y];
    c.classList.toggle("selected", y === state.selected);
    c.classList.toggle("is-urban", v === 1); c.classList.toggle("is-nonurban", v === 0); c.classList.toggle("is-unsure", v === 255);
    c.querySelector(".year-answer").textContent = v === undefined ? "" : LABEL_NAMES[v];
    c.querySelectorAll("img").forEach(img => { img.style.transform = `scale(${state.zoom})`; });
  });
  $("selected-year").textContent = String(state.selected);
  const sel = state.answers[state.selected];
  document.querySelectorAll(".answer").forEach(b => b.classList.toggle("on", Number(b.dataset.label) === sel));
  const f = derivedFirstYear();
  document.querySelectorAll("[data-first]").forEach(b => b.classList.toggle("on", f !== undefined && (b.dataset.first === "never" ? f === null : Number(b.dataset.first) === f)));
  document.querySelectorAll("[data-confidence]").forEach(b => b.classList.toggle("on", Number(b.dataset.confidence) === state.confidence));
}

function status(text, kind) { const s = $("status"); s.textContent = text; s.className = "status " + (kind || ""); }

async function save() {
  if (!state.cell) return;
  const label = state.answers[state.ref];
  if (label === undefined) { status(`Answer the map year ${state.ref} first (U, N or C).`, "error"); return; }
  const f = derivedFirstYear();
  const body = { cellId: state.cell.cellId, label, years: Object.fromEntries(Object.entries(state.answers)), confidence: state.confidence, comment: $("comment").value || null };
  if (f !== undefined && f !== null) body.firstYearUrban = f;
  try {
    await api.post("/api/labels", body);
  } catch (err) { status("Not saved: " + err.message, "error"); return; }
  if (!state.history.includes(state.cell.cellId)) state.history.push(state.cell.cellId);
  status(`Saved cell ${state.cell.cellId} (${LABEL_NAMES[label]}).`, "ok");
  progress();
  await next();
}

async function previous() {
  const pos = state.pos < 0 ? state.history.length - 1 : state.pos - 1;
  if (pos < 0) { status("No earlier cell.", ""); return; }
  state.pos = pos;
  show(await api.get(`/api/cells/${state.history[pos]}`));
}

async function next() {
  if (state.pos >= 0 && state.pos < state.history.length - 1) {
    state.pos++;
    show(await api.get(`/api/cells/${state.history[state.pos]}`));
    return;
  }
  state.pos = -1;
  const cell = await api.get("/api/next");
  if (!cell) {
    state.cell = null;
    $("years").replaceChildren(el("div", { class: "done", textContent: "Nothing left to label: thank you. Previous cells stay reachable with ←." }));
    $("cell-title").textContent = "All done";
    return;
  }
  show(cell);
}

async function progress() {
  const p = await api.get("/api/progress");
  $("progress-fill").style.width = (p.total ? 100 * p.done / p.total : 0).toFixed(1) + "%";
  $("progress-text").textContent = `${p.done} of ${p.total} cells done · ${p.mine} answered by you`;
  const t = $("strata");
  t.replaceChildren(el("tr", {}, el("th", { textContent: "Stratum" }), el("th", { textContent: "Done" }), el("th", { textContent: "" })));
  for (const s of p.strata) {
    const bar = el("div", { class: "progress thin" }, el("div", { class: "fill" }));
    bar.firstChild.style.width = (100 * s.done / s.total).toFixed(1) + "%";
    t.append(el("tr", {}, el("td", { textContent: String(s.stratum) }), el("td", { textContent: `${s.done} / ${s.total}` }), el("td", {}, bar)));
  }
}

document.addEventListener("DOMContentLoaded", () => start().catch(err => status("Error: " + err.message, "error")));
