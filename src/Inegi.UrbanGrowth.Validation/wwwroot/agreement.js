"use strict";
// Agreement per pair of interpreters and the cells waiting for an adjudicator.
async function load() {
  const me = await api.get("/api/me");
  document.getElementById("who").textContent = me.name + (me.adjudicator ? " · adjudicator" : "");
  const a = await api.get("/api/agreement");
  const pairs = document.getElementById("pairs");
  pairs.replaceChildren(el("tr", {}, ...["Interpreters", "Cells in common", "Agreed", "Agreement", "Kappa"].map(t => el("th", { textContent: t }))));
  for (const p of a.pairs) {
    pairs.append(el("tr", {},
      el("td", { textContent: `${p.first} · ${p.second}` }), el("td", { textContent: String(p.cells) }), el("td", { textContent: String(p.agreed) }),
      el("td", { textContent: (100 * p.agreed / p.cells).toFixed(1) + " %" }), el("td", { textContent: p.kappa === null ? "" : p.kappa.toFixed(3) })));
  }
  if (a.pairs.length === 0) pairs.append(el("tr", {}, el("td", { colSpan: 5, textContent: "No cell has two answers yet." })));
  const queue = await api.get("/api/adjudications");
  document.getElementById("queue-count").textContent = `· ${queue.length} cell${queue.length === 1 ? "" : "s"}`;
  const box = document.getElementById("queue");
  box.replaceChildren();
  for (const d of queue) {
    const list = el("div", { class: "answers-list" }, el("h3", { textContent: `Cell ${d.cellId}` }));
    for (const x of d.answers) {
      list.append(el("div", { textContent: `${x.interpreter}: ${LABEL_NAMES[x.label]}${x.confidence ? ` (confidence ${x.confidence})` : ""}${x.comment ? ` — ${x.comment}` : ""}` }));
    }
    if (me.adjudicator) {
      const row = el("div", { class: "chips-row" });
      for (const [label, name] of [[1, "Urban"], [0, "Non-urban"], [255, "Cannot tell"]]) {
        const b = el("button", { type: "button", class: "pill", textContent: name });
        b.addEventListener("click", async () => {
          try { await api.post("/api/adjudications", { cellId: d.cellId, label }); await load(); }
          catch (err) { document.getElementById("status").textContent = "Not saved: " + err.message; }
        });
        row.append(b);
      }
      list.append(el("h3", { textContent: "Adjudicate" }), row);
    }
    const cell = await api.get(`/api/cells/${d.cellId}`);
    const ref = cell.chips.find(c => c.year === cell.referenceYear);
    box.append(el("div", { class: "card queue-item" },
      el("img", { src: ref.trueColor, alt: "true colour" }), el("img", { src: ref.falseColor, alt: "false colour" }), list));
  }
  if (queue.length === 0) box.append(el("p", { class: "small", textContent: "No disagreement waiting." }));
}
document.addEventListener("DOMContentLoaded", () => load().catch(err => { document.getElementById("status").textContent = "Error: " + err.message; }));
